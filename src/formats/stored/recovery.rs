//! The recovery file: what "Download your data" gives when the app stopped before the project
//! export's code was at hand (`web::panic`). It holds the stored documents as they are, with the
//! article texts (IndexedDB's, which a panicking page cannot wait for, taken from the project in
//! memory), and reads back into a project by the load's own code: the importer takes it as it
//! takes a project export.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::domain::article::ArticleId;
use crate::domain::project::Project;
use crate::formats::stored::load::load;
use crate::formats::FormatError;

/// The recovery file's `format`.
pub const RECOVERY_FORMAT: &str = "crosscheck-recovery";

/// The recovery file of `documents` (id → stored JSON) and `texts` (article id, text).
pub fn recovery_json<'a>(
    documents: impl IntoIterator<Item = (String, String)>,
    texts: impl IntoIterator<Item = (&'a ArticleId, &'a str)>,
) -> String {
    let mut stored = Map::new();
    for (id, raw) in documents {
        // A document that is not JSON (it would not load either) is kept as its text.
        let document = serde_json::from_str(&raw).unwrap_or(Value::String(raw));
        stored.insert(id, document);
    }
    let mut by_id = Map::new();
    for (id, text) in texts {
        by_id.insert(id.as_str().to_string(), Value::String(text.to_string()));
    }
    let mut file = Map::new();
    file.insert("format".to_string(), Value::String(RECOVERY_FORMAT.to_string()));
    file.insert("documents".to_string(), Value::Object(stored));
    file.insert("texts".to_string(), Value::Object(by_id));
    serde_json::to_string(&Value::Object(file)).unwrap_or_default()
}

/// Whether `value` is a recovery file.
pub fn is_recovery(value: &Value) -> bool {
    value.get("format").and_then(Value::as_str) == Some(RECOVERY_FORMAT)
}

/// The project a recovery file holds, read as a load reads the store (a document that does not
/// fit is left out, as a load leaves it out).
pub fn from_recovery_json(json: &str) -> Result<Project, FormatError> {
    let value: Value = serde_json::from_str(json).map_err(|error| FormatError::at("", &error.to_string()))?;
    if !is_recovery(&value) {
        return Err(FormatError::at("format", &format!("this is not a {RECOVERY_FORMAT} file")));
    }
    let object = |key: &str| {
        value.get(key).and_then(Value::as_object).ok_or_else(|| FormatError::at(key, "missing or not an object"))
    };
    let documents: BTreeMap<String, String> = object("documents")?
        .iter()
        .map(|(id, document)| (id.clone(), document.as_str().map_or_else(|| document.to_string(), str::to_string)))
        .collect();
    let texts: HashMap<ArticleId, Rc<str>> = object("texts")?
        .iter()
        .filter_map(|(id, text)| Some((ArticleId::from(id.as_str()), Rc::from(text.as_str()?))))
        .collect();
    Ok(load(&documents, &texts)?.project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_recovery_file_is_an_error() {
        assert!(from_recovery_json("{\"format\":\"crosscheck-recovery\"}").is_err());
        assert!(from_recovery_json("{\"format\":\"other\",\"documents\":{},\"texts\":{}}").is_err());
        assert!(from_recovery_json("not json").is_err());
    }
}
