//! How a run of highlighted text looks: colours per label, depth for nested spans.
//!
//! The innermost span tints the background; every enclosing span adds an underline in its
//! label's colour below the previous one, so nesting depth is visible at a glance. Colours come
//! from the schema, which only admits `#rrggbb`, so they are safe inside a `style` attribute.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::domain::annotation::Span;
use crate::domain::schema::LabelDef;

/// Label id → colour.
pub type LabelColors = BTreeMap<String, String>;

pub fn label_colors(labels: &[LabelDef]) -> LabelColors {
    labels.iter().map(|label| (label.id.clone(), label.color.clone())).collect()
}

const FALLBACK_COLOR: &str = "#888888";

/// The inline style of a run covered by `spans` (outermost first).
pub fn run_style(spans: &[Rc<Span>], colors: &LabelColors) -> String {
    let color_of = |span: &Rc<Span>| colors.get(&span.label).map_or(FALLBACK_COLOR, String::as_str);
    let Some(innermost) = spans.last() else { return String::new() };
    let mut style = format!("--hl:{};", color_of(innermost));
    let outer: Vec<String> = spans
        .iter()
        .rev()
        .enumerate()
        .map(|(depth, span)| format!("inset 0 -{}px 0 {}", 2 * (depth + 1), color_of(span)))
        .collect();
    style.push_str("box-shadow:");
    style.push_str(&outer.join(","));
    style.push(';');
    style
}
