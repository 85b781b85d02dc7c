//! Reading W3C documents: where each annotation is, its bodies, author and dates.

use super::import::*;
use crate::domain::article::ArticleId;
use crate::formats::common::{json_line, parse_iso8601, JsonStep};
use crate::formats::FormatError;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Where something is in the document: a readable field path and the steps to find its line.
#[derive(Clone, Default)]
pub(super) struct Place {
    pub(super) field: String,
    pub(super) steps: Vec<JsonStep>,
}

impl Place {
    pub(super) fn key(&self, key: &str) -> Place {
        let field = if self.field.is_empty() { key.to_string() } else { format!("{}.{key}", self.field) };
        let mut steps = self.steps.clone();
        steps.push(JsonStep::Key(key.to_string()));
        Place { field, steps }
    }

    pub(super) fn index(&self, index: usize) -> Place {
        let mut steps = self.steps.clone();
        steps.push(JsonStep::Index(index));
        Place { field: format!("{}[{index}]", self.field), steps }
    }

    pub(super) fn error(&self, json: &str, message: &str) -> FormatError {
        match json_line(json, &self.steps) {
            Some(line) => FormatError::at_line(line, &self.field, message),
            None => FormatError::at(&self.field, message),
        }
    }
}

pub(super) fn listed<'v>(json: &str, items: &'v Value, place: &Place) -> Result<Vec<(Place, &'v Value)>, FormatError> {
    let array = items.as_array().ok_or_else(|| place.error(json, "must be an array of annotations"))?;
    Ok(array.iter().enumerate().map(|(index, item)| (place.index(index), item)).collect())
}

/// The annotations of a collection, page, array or single annotation, with their places.
pub(super) fn annotation_items<'v>(json: &str, root: &'v Value) -> Result<Vec<(Place, &'v Value)>, FormatError> {
    let top = Place::default();
    match root {
        Value::Array(_) => listed(json, root, &top),
        Value::Object(object) => {
            let types = strings(object.get("type"));
            if types.contains(&"AnnotationCollection") {
                let mut items = Vec::new();
                if let Some(direct) = object.get("items") {
                    items.extend(listed(json, direct, &top.key("items"))?);
                }
                let mut page = object.get("first");
                let mut place = top.key("first");
                while let Some(current) = page {
                    match current {
                        Value::Object(page_object) => {
                            let page_items = page_object
                                .get("items")
                                .ok_or_else(|| place.error(json, "an AnnotationPage needs \"items\""))?;
                            items.extend(listed(json, page_items, &place.key("items"))?);
                            page = page_object.get("next");
                            place = place.key("next");
                        }
                        Value::String(_) => {
                            return Err(place.error(
                                json,
                                "pages given by IRI cannot be fetched; embed the AnnotationPage in the file",
                            ))
                        }
                        _ => return Err(place.error(json, "must be an embedded AnnotationPage")),
                    }
                }
                Ok(items)
            } else if types.contains(&"AnnotationPage") {
                let page_items = object
                    .get("items")
                    .ok_or_else(|| top.key("items").error(json, "an AnnotationPage needs \"items\""))?;
                listed(json, page_items, &top.key("items"))
            } else if object.contains_key("target") {
                Ok(vec![(Place { field: "annotation".to_string(), steps: Vec::new() }, root)])
            } else {
                Err(top.key("type").error(
                    json,
                    "not a W3C annotation: expected an AnnotationCollection, an AnnotationPage, an Annotation or an array of annotations",
                ))
            }
        }
        _ => Err(FormatError::at_line(1, "", "not a W3C annotation document (expected a JSON object or array)")),
    }
}

/// A string or an array of strings, as a list (other values give an empty list).
pub(super) fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(text)) => vec![text.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A value or an array of values, as a list.
pub(super) fn one_or_many(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// Where a target points, once anchored.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Anchor {
    pub(super) article: ArticleId,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) old_start: Option<usize>,
    pub(super) method: Option<AnchorMethod>,
}

/// The textual content of an annotation's bodies, sorted by purpose.
#[derive(Default)]
pub(super) struct Bodies {
    pub(super) tags: Vec<String>,
    pub(super) attributes: BTreeMap<String, String>,
    pub(super) notes: Vec<String>,
}

pub(super) fn read_bodies(annotation: &Value) -> Bodies {
    let motivations = strings(annotation.get("motivation"));
    let mut bodies = Bodies::default();
    for body in one_or_many(annotation.get("body")) {
        let Some(value) = body.get("value").and_then(Value::as_str) else {
            continue;
        };
        let mut purposes = strings(body.get("purpose"));
        if purposes.is_empty() {
            purposes = motivations.clone();
        }
        if purposes.contains(&"tagging") {
            bodies.tags.push(value.to_string());
        } else if purposes.iter().any(|purpose| matches!(*purpose, "describing" | "classifying")) {
            match value.split_once(": ") {
                Some((key, attribute)) if is_attribute_key(key) => {
                    bodies.attributes.insert(key.to_string(), attribute.to_string());
                }
                _ => bodies.notes.push(value.to_string()),
            }
        } else {
            bodies.notes.push(value.to_string());
        }
    }
    if let Some(body_value) = annotation.get("bodyValue").and_then(Value::as_str) {
        bodies.notes.push(body_value.to_string());
    }
    bodies
}

/// Attribute keys as the schema makes them: short, no spaces.
pub(super) fn is_attribute_key(key: &str) -> bool {
    !key.is_empty() && key.chars().count() <= 64 && !key.chars().any(char::is_whitespace)
}

pub(super) fn author_of(annotation: &Value, fallback: &str) -> String {
    let creator = one_or_many(annotation.get("creator")).into_iter().next();
    let named = match creator {
        Some(Value::String(iri)) => Some(iri.as_str()),
        Some(Value::Object(agent)) => ["name", "nickname", "id"]
            .iter()
            .find_map(|key| strings(agent.get(*key)).into_iter().next().filter(|value| !value.trim().is_empty())),
        _ => None,
    };
    named.map_or_else(|| fallback.to_string(), str::to_string)
}

pub(super) fn date_of(annotation: &Value, key: &str) -> Option<i64> {
    strings(annotation.get(key)).into_iter().next().and_then(parse_iso8601)
}

pub(super) fn short_hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().iter().take(6).map(|byte| format!("{byte:02x}")).collect()
}
