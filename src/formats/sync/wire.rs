//! The JSON of the four replication endpoints, requests built and answers read tolerantly: a
//! malformed row is reported and skipped; only an answer that is not the endpoint's shape at
//! all is an error (then the server is not a CouchDB, or too old).
//!
//! - `GET {db}/_changes?style=all_docs&since=…&limit=…[&feed=longpoll&timeout=…]` →
//!   `{"results": [{"seq", "id", "changes": [{"rev"}], "deleted"?}], "last_seq", "pending"?}`;
//!   sequences are opaque JSON (numbers in PouchDB, strings in CouchDB 2+), only echoed back;
//! - `POST {db}/_revs_diff` `{id: [rev…]}` → `{id: {"missing": [rev…], "possible_ancestors"?}}`;
//! - `POST {db}/_bulk_get?revs=true` `{"docs": [{"id", "rev"}]}` →
//!   `{"results": [{"id", "docs": [{"ok": doc} | {"error": {"id", "rev", "error", "reason"}}]}]}`;
//! - `POST {db}/_bulk_docs` `{"docs": […], "new_edits": false}` → `[]` or per-document
//!   `{"id", "rev", "error", "reason"}` for the ones refused (CouchDB lists only failures).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{json, Map, Value};

use crate::formats::sync::replica::RevisionDoc;
use crate::formats::sync::revision::Rev;
use crate::formats::sync::validate::Rejection;

/// An answer that is not the endpoint's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub String);

impl fmt::Display for WireError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "the server's answer is not CouchDB's: {}", self.0)
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode_query_value(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// A sequence as the `since` parameter: a number as itself, a string unquoted.
pub fn since_parameter(seq: &Value) -> String {
    match seq {
        Value::String(text) => encode_query_value(text),
        Value::Null => "0".to_string(),
        other => encode_query_value(&other.to_string()),
    }
}

/// The path and query of a changes request; `longpoll_ms` waits for new changes.
pub fn changes_path(since: &Value, limit: usize, longpoll_ms: Option<u32>) -> String {
    let mut path = format!("_changes?style=all_docs&since={}&limit={limit}", since_parameter(since));
    if let Some(timeout) = longpoll_ms {
        path.push_str(&format!("&feed=longpoll&timeout={timeout}"));
    }
    path
}

pub const REVS_DIFF_PATH: &str = "_revs_diff";
pub const BULK_GET_PATH: &str = "_bulk_get?revs=true";
pub const BULK_DOCS_PATH: &str = "_bulk_docs";

/// One row of a changes feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRow {
    pub id: String,
    pub revs: Vec<Rev>,
}

/// One page of a changes feed.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangesPage {
    pub rows: Vec<ChangeRow>,
    pub last_seq: Value,
    /// How many changes remain after this page, when the server says (CouchDB 2+, PouchDB).
    pub pending: Option<u64>,
    pub problems: Vec<Rejection>,
}

fn problem(id: &str, rev: Option<&str>, reason: &str) -> Rejection {
    Rejection { id: id.to_string(), rev: rev.map(str::to_string), reason: reason.to_string() }
}

pub fn parse_changes(answer: &Value) -> Result<ChangesPage, WireError> {
    let results =
        answer.get("results").and_then(Value::as_array).ok_or_else(|| WireError("no results list".to_string()))?;
    let mut last_seq = answer.get("last_seq").cloned().unwrap_or(Value::Null);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for row in results {
        if last_seq.is_null() {
            last_seq = row.get("seq").cloned().unwrap_or(Value::Null);
        }
        let Some(id) = row.get("id").and_then(Value::as_str) else {
            problems.push(problem("", None, "a change without an id"));
            continue;
        };
        let mut revs = Vec::new();
        for change in row.get("changes").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
            let text = change.get("rev").and_then(Value::as_str).unwrap_or_default();
            match Rev::parse(text) {
                Ok(rev) => revs.push(rev),
                Err(error) => problems.push(problem(id, Some(text), &error.to_string())),
            }
        }
        if !revs.is_empty() {
            rows.push(ChangeRow { id: id.to_string(), revs });
        }
    }
    if let Some(seq) = results.last().and_then(|row| row.get("seq")) {
        if answer.get("last_seq").is_none() {
            last_seq = seq.clone();
        }
    }
    if last_seq.is_null() && !results.is_empty() {
        return Err(WireError("no last_seq".to_string()));
    }
    let pending = answer.get("pending").and_then(Value::as_u64);
    Ok(ChangesPage { rows, last_seq, pending, problems })
}

/// The body of `_revs_diff`.
pub fn revs_diff_body(request: &BTreeMap<String, Vec<Rev>>) -> Value {
    let object: Map<String, Value> = request
        .iter()
        .map(|(id, revs)| (id.clone(), Value::from(revs.iter().map(Rev::to_string).collect::<Vec<_>>())))
        .collect();
    Value::Object(object)
}

/// The missing revisions of a `_revs_diff` answer, limited to what was asked.
pub fn parse_revs_diff(
    answer: &Value,
    asked: &BTreeMap<String, Vec<Rev>>,
) -> Result<BTreeMap<String, Vec<Rev>>, WireError> {
    let object = answer.as_object().ok_or_else(|| WireError("_revs_diff did not answer an object".to_string()))?;
    let mut missing = BTreeMap::new();
    for (id, entry) in object {
        let Some(asked_revs) = asked.get(id) else { continue };
        let revs: Vec<Rev> = entry
            .get("missing")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|rev| rev.as_str().and_then(|text| Rev::parse(text).ok()))
            .filter(|rev| asked_revs.contains(rev))
            .collect();
        if !revs.is_empty() {
            missing.insert(id.clone(), revs);
        }
    }
    Ok(missing)
}

/// The body of `_bulk_get`.
pub fn bulk_get_body(missing: &BTreeMap<String, Vec<Rev>>) -> Value {
    let docs: Vec<Value> = missing
        .iter()
        .flat_map(|(id, revs)| revs.iter().map(move |rev| json!({"id": id, "rev": rev.to_string()})))
        .collect();
    json!({ "docs": docs })
}

/// The documents of a `_bulk_get` answer, and the revisions the server could not give.
pub fn parse_bulk_get(answer: &Value) -> Result<(Vec<Value>, Vec<Rejection>), WireError> {
    let results = answer
        .get("results")
        .and_then(Value::as_array)
        .ok_or_else(|| WireError("_bulk_get: no results".to_string()))?;
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        let id = result.get("id").and_then(Value::as_str).unwrap_or_default();
        for entry in result.get("docs").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
            if let Some(doc) = entry.get("ok") {
                docs.push(doc.clone());
            } else {
                let error = entry.get("error").cloned().unwrap_or(Value::Null);
                let text = |field: &str| error.get(field).and_then(Value::as_str).unwrap_or_default().to_string();
                let reason = format!("the server could not give it: {} {}", text("error"), text("reason"));
                errors.push(Rejection {
                    id: id.to_string(),
                    rev: error.get("rev").and_then(Value::as_str).map(str::to_string),
                    reason,
                });
            }
        }
    }
    Ok((docs, errors))
}

/// The body of `_bulk_docs` replicating revisions as they are.
pub fn bulk_docs_body(docs: &[RevisionDoc]) -> Value {
    json!({ "docs": docs.iter().map(RevisionDoc::to_json).collect::<Vec<_>>(), "new_edits": false })
}

/// The refusals in a `_bulk_docs` answer (success entries, if any, are not refusals).
pub fn parse_bulk_docs(answer: &Value) -> Result<Vec<Rejection>, WireError> {
    let entries = answer.as_array().ok_or_else(|| WireError("_bulk_docs did not answer a list".to_string()))?;
    Ok(entries
        .iter()
        .filter(|entry| entry.get("error").is_some())
        .map(|entry| {
            let text = |field: &str| entry.get(field).and_then(Value::as_str).unwrap_or_default().to_string();
            Rejection {
                id: text("id"),
                rev: entry.get("rev").and_then(Value::as_str).map(str::to_string),
                reason: format!("{}: {}", text("error"), text("reason")),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn couchdb_string_sequences_are_echoed_encoded() {
        let seq = json!("12-g1AAAAB3eJzLYWBg");
        assert_eq!(since_parameter(&seq), "12-g1AAAAB3eJzLYWBg");
        assert_eq!(since_parameter(&json!("1-a+b/c")), "1-a%2Bb%2Fc");
        assert_eq!(since_parameter(&json!(42)), "42");
        assert_eq!(
            changes_path(&json!(0), 100, Some(25000)),
            "_changes?style=all_docs&since=0&limit=100&feed=longpoll&timeout=25000"
        );
    }

    #[test]
    fn the_documented_bulk_get_answer_reads_with_its_error_entries() {
        let answer = json!({"results": [
            {"id": "good-doc", "docs": [{"ok": {"_id": "good-doc", "_rev": "1-967a00dff5e02add41819138abb3284d",
                "_revisions": {"ids": ["967a00dff5e02add41819138abb3284d"], "start": 1}}}]},
            {"id": "non-existed-doc", "docs": [{"error": {"id": "non-existed-doc", "rev": "undefined", "error": "not_found", "reason": "missing"}}]}
        ]});
        let (docs, errors) = parse_bulk_get(&answer).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(errors[0].id, "non-existed-doc");
        assert!(errors[0].reason.contains("not_found"));
    }

    #[test]
    fn a_changes_page_skips_bad_rows_and_keeps_the_sequence() {
        let answer = json!({"results": [
            {"seq": 3, "id": "span:a", "changes": [{"rev": "2-b"}, {"rev": "2-c"}]},
            {"seq": 4, "id": "span:b", "changes": [{"rev": "garbage"}]},
            {"seq": 5, "changes": []}
        ], "last_seq": 5, "pending": 7});
        let page = parse_changes(&answer).unwrap();
        assert_eq!(page.rows.len(), 1);
        assert_eq!(page.rows[0].revs.len(), 2);
        assert_eq!((page.last_seq.clone(), page.pending, page.problems.len()), (json!(5), Some(7), 2));
        assert!(parse_changes(&json!({"error": "unauthorized"})).is_err());
    }

    #[test]
    fn bulk_docs_lists_only_refusals() {
        let answer = json!([{"id": "span:a", "rev": "1-a", "error": "forbidden", "reason": "not a member"}, {"ok": true, "id": "span:b", "rev": "1-b"}]);
        let refused = parse_bulk_docs(&answer).unwrap();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].reason, "forbidden: not a member");
        assert!(parse_bulk_docs(&json!([])).unwrap().is_empty());
    }
}
