//! Label and relation schemas: what can be tagged, with which attributes, and how spans link.
//!
//! A label has a stable `id` (stored on spans, never shown) and an editable `name` and colour.
//! Renaming a label therefore never touches a span. Colours are validated `#rrggbb` strings
//! because they end up in inline styles.

use serde::Serialize;

pub use crate::domain::ids::{LabelId, RelationTypeId};

/// How an attribute is edited in the side panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AttributeKind {
    /// One of a fixed list; the first is the default.
    Choice { choices: Vec<String> },
    /// Free text, one line; `suggest_from` names another attribute whose values across the whole
    /// corpus are offered as completions (for speakers).
    Text {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        suggest_from: Option<String>,
    },
    /// Free text, several lines.
    Note,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttributeDef {
    pub key: String,
    pub name: String,
    pub kind: AttributeKind,
}

impl AttributeDef {
    pub fn default_value(&self) -> String {
        match &self.kind {
            AttributeKind::Choice { choices } => choices.first().cloned().unwrap_or_default(),
            AttributeKind::Text { .. } | AttributeKind::Note => String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LabelDef {
    pub id: LabelId,
    pub name: String,
    pub color: String,
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
}

impl LabelDef {
    /// The lower-case name used in `data-testid="label-<name>"` and in exports.
    pub fn slug(&self) -> String {
        slug(&self.name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelationTypeDef {
    pub id: RelationTypeId,
    pub name: String,
    pub color: String,
    /// Symmetric relations are stored once per unordered pair and shown from both ends.
    pub symmetric: bool,
    /// Sub-kinds offered for this relation (for `contradicts`: numeric, factual, …).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// The key that applies this relation in the compare view.
    #[serde(default)]
    pub hotkey: String,
}

pub fn slug(name: &str) -> String {
    slug_with(name, |character, into| into.extend(character.to_lowercase()))
}

/// [`slug`], lower-casing each character with `push_lowercase`, which must map as
/// `char::to_lowercase` does: the browser's tag toolbar lowers with the browser's own case
/// tables (`web::strings::push_lowercase`), so that the first load carries none (12 KB).
pub fn slug_with(name: &str, push_lowercase: impl Fn(char, &mut String)) -> String {
    let mut lowered = String::new();
    for character in name.trim().chars() {
        push_lowercase(character, &mut lowered);
    }
    let mut slug = String::new();
    for character in lowered.chars() {
        if character.is_alphanumeric() {
            slug.push(character);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_string()
}

/// Whether `color` is a `#rrggbb` hex colour (the only form the schema accepts).
pub fn is_valid_color(color: &str) -> bool {
    color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|character| character.is_ascii_hexdigit())
}

fn choice(key: &str, name: &str, choices: &[&str]) -> AttributeDef {
    AttributeDef {
        key: key.to_string(),
        name: name.to_string(),
        kind: AttributeKind::Choice { choices: choices.iter().map(|choice| choice.to_string()).collect() },
    }
}

fn text(key: &str, name: &str, suggest_from: Option<&str>) -> AttributeDef {
    AttributeDef {
        key: key.to_string(),
        name: name.to_string(),
        kind: AttributeKind::Text { suggest_from: suggest_from.map(str::to_string) },
    }
}

fn note() -> AttributeDef {
    AttributeDef { key: "note".to_string(), name: "Note".to_string(), kind: AttributeKind::Note }
}

/// Claim, Quote and Speaker, with the attributes fact-checkers use.
pub fn default_labels() -> Vec<LabelDef> {
    vec![
        LabelDef {
            id: LabelId::from("claim"),
            name: "Claim".to_string(),
            color: "#f2b233".to_string(),
            attributes: vec![
                choice("kind", "Kind", &["factual", "numeric", "causal", "prediction", "opinion"]),
                choice("check_worthy", "Check-worthy", &["yes", "no"]),
                choice("verdict", "Verdict", &["unverified", "accurate", "inaccurate", "misleading", "unsupported"]),
                note(),
            ],
        },
        LabelDef {
            id: LabelId::from("quote"),
            name: "Quote".to_string(),
            color: "#3fa7d6".to_string(),
            attributes: vec![
                text("speaker", "Speaker", Some("speaker")),
                choice("form", "Form", &["direct", "indirect", "partial"]),
                text("cue", "Cue verb", Some("cue")),
                note(),
            ],
        },
        LabelDef {
            id: LabelId::from("speaker"),
            name: "Speaker".to_string(),
            color: "#a77bdb".to_string(),
            attributes: vec![text("canonical", "Canonical name", Some("speaker"))],
        },
    ]
}

pub const CONTRADICTS: &str = "contradicts";
pub const SUPPORTS: &str = "supports";
pub const SAME_STATEMENT: &str = "same-statement";
pub const ATTRIBUTED_TO: &str = "attributed-to";

pub fn default_relation_types() -> Vec<RelationTypeDef> {
    let relation = |id: &str, name: &str, color: &str, symmetric: bool, kinds: &[&str], hotkey: &str| RelationTypeDef {
        id: RelationTypeId::from(id),
        name: name.to_string(),
        color: color.to_string(),
        symmetric,
        kinds: kinds.iter().map(|kind| kind.to_string()).collect(),
        hotkey: hotkey.to_string(),
    };
    vec![
        relation(
            CONTRADICTS,
            "contradicts",
            "#e5484d",
            true,
            &["numeric", "factual", "attribution", "framing", "timeline"],
            "c",
        ),
        relation(SUPPORTS, "supports", "#30a46c", true, &[], "s"),
        relation(SAME_STATEMENT, "same-statement", "#0090ff", true, &[], "="),
        relation(ATTRIBUTED_TO, "attributed-to", "#8e4ec6", false, &[], "a"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_colors() {
        assert_eq!(slug(" Check-worthy Claim! "), "check-worthy-claim");
        assert_eq!(slug("ÉTAT Σ İ"), "état-σ-i");
        assert!(is_valid_color("#A0b1c2"));
        assert!(!is_valid_color("red;background:url(x)"));
        assert!(default_labels().iter().all(|label| is_valid_color(&label.color)));
        assert_eq!(default_labels().iter().map(LabelDef::slug).collect::<Vec<_>>(), ["claim", "quote", "speaker"]);
    }
}
