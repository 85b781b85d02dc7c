//! How a run of highlighted text looks: colours per label, depth for nested spans.
//!
//! The innermost span tints the background; every enclosing span adds an underline in its
//! label's colour below the previous one, so nesting depth is visible at a glance. Colours come
//! from the schema, which only admits `#rrggbb`, so they are safe inside a `style` attribute.
//!
//! A run says which labels cover it with classes (`c1-0`: the innermost span has the schema's
//! first label), and the reader sets each label's colour once, as `--label-N` on its container;
//! `styles/app.css` turns the classes into colours and underlines. An inline `style` per run
//! cost Chromium about 5 µs per highlight to parse, a quarter of the big article's DOM work.
//! Runs the stylesheet has no classes for (nesting deeper than [`STYLED_DEPTH`], a label past
//! [`STYLED_LABELS`], an unknown label) get the inline style instead.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::domain::annotation::Span;
use crate::domain::schema::{LabelDef, LabelId};
use crate::domain::sorting::InsertEach;

/// Label id → its position in the schema and its colour.
pub type LabelColors = BTreeMap<LabelId, (usize, String)>;

/// How many labels (in schema order) and nesting levels `styles/app.css` has classes for.
pub const STYLED_LABELS: usize = 16;
pub const STYLED_DEPTH: usize = 4;

pub fn label_colors(labels: &[LabelDef]) -> LabelColors {
    labels.iter().enumerate().map(|(index, label)| (label.id.clone(), (index, label.color.clone()))).into_map()
}

/// The reader container's style: every label's colour as `--label-N`.
pub fn palette_style(colors: &LabelColors) -> String {
    colors
        .values()
        .filter(|(index, _)| *index < STYLED_LABELS)
        .map(|(index, color)| format!("--label-{index}:{color};"))
        .collect()
}

const FALLBACK_COLOR: &str = "#888888";

/// How a run covered by `spans` (outermost first) is drawn: classes naming its labels from the
/// innermost out, or, when the stylesheet cannot express it, an inline style.
pub struct RunLook {
    pub classes: Vec<String>,
    pub style: Option<String>,
}

pub fn run_look(spans: &[Rc<Span>], colors: &LabelColors) -> RunLook {
    let styled: Option<Vec<String>> = (spans.len() <= STYLED_DEPTH)
        .then(|| {
            spans
                .iter()
                .rev()
                .enumerate()
                .map(|(depth, span)| match colors.get(&span.label) {
                    Some((index, _)) if *index < STYLED_LABELS => Some(format!("c{}-{index}", depth + 1)),
                    _ => None,
                })
                .collect()
        })
        .flatten();
    match styled {
        Some(classes) => RunLook { classes, style: None },
        None => RunLook { classes: Vec::new(), style: Some(run_style(spans, colors)) },
    }
}

/// The inline style of a run covered by `spans` (outermost first).
fn run_style(spans: &[Rc<Span>], colors: &LabelColors) -> String {
    let color_of = |span: &Rc<Span>| colors.get(&span.label).map_or(FALLBACK_COLOR, |(_, color)| color.as_str());
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
