//! JSON Lines export: one article per line, with its spans and the links that start in it.
//!
//! This is the shape spaCy and Prodigy read and write (doccano reads its own, `doccano.rs`): a document's `text` plus
//! character-offset `spans`. Offsets are Unicode code points, end exclusive, so in Python
//! `line["text"][span["start"]:span["end"]] == span["text"]` for every span.
//!
//! ```json
//! {"id":"a-…","title":"…","source":"file.txt","url":"…","published":"…","text":"…",
//!  "spans":[{"id":"s-1","start":10,"end":25,"label":"Claim","label_id":"claim","text":"…",
//!            "kind":"numeric","check_worthy":"yes","verdict":"unverified","note":"…"}],
//!  "relations":[{"id":"r-1","type":"contradicts","from":"s-1","to":"s-9","kind":"numeric",
//!                "note":"…","from_article":"a-…","to_article":"a-…"}]}
//! ```
//!
//! - Every article gets a line, annotated or not, in the project's article order; spans in
//!   reading order ([`Project::spans_in_order`]); relations by id.
//! - `label` is the label's current name, `label_id` its stable id. `url` and `published` are
//!   left out when empty.
//! - A span's attributes are flattened into the span object. An attribute whose key is one of
//!   the span's own keys (`id`, `start`, `end`, `label`, `label_id`, `text`) is written as
//!   `attr_<key>` instead, so it can never shadow them.
//! - A relation sits on the line of the article that holds its `from` span; `type` is the
//!   relation type's id (`contradicts`, `supports`, `same-statement`, `attributed-to`);
//!   `kind` and `note` are left out when empty.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::article::ArticleMetadata;
use crate::domain::project::Project;
use crate::domain::sorting::InsertEach;
use crate::formats::common::{label_name, push_json_line};

/// The media type of JSON Lines.
pub const MEDIA_TYPE: &str = "application/x-ndjson";
/// A suggested download name.
pub const FILE_NAME: &str = "annotations.jsonl";

/// The keys of a span object that attributes may not overwrite.
pub const RESERVED_SPAN_KEYS: [&str; 6] = ["id", "start", "end", "label", "label_id", "text"];

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    title: &'a str,
    source: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    published: &'a str,
    /// Authors, site name, dates, canonical URL, language… each key only when the page had it.
    #[serde(flatten)]
    metadata: &'a ArticleMetadata,
    text: &'a str,
    spans: Vec<SpanRecord<'a>>,
    relations: Vec<RelationRecord<'a>>,
}

#[derive(Serialize)]
struct SpanRecord<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    label: &'a str,
    label_id: &'a str,
    text: &'a str,
    #[serde(flatten)]
    attributes: BTreeMap<String, &'a str>,
}

#[derive(Serialize)]
struct RelationRecord<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    relation_type: &'a str,
    from: &'a str,
    to: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    kind: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
    from_article: &'a str,
    to_article: &'a str,
}

/// The key an attribute is written under in a span object (see the module docs).
pub fn attribute_key(key: &str) -> String {
    if RESERVED_SPAN_KEYS.contains(&key) {
        format!("attr_{key}")
    } else {
        key.to_string()
    }
}

/// Serialises the project as JSON Lines, one line per article, each ending in `\n`.
pub fn to_jsonl(project: &Project) -> String {
    let mut spans_by_article: BTreeMap<&str, Vec<SpanRecord>> = BTreeMap::new();
    let ordered = project.spans_in_order();
    for span in &ordered {
        let attributes = span.attributes.iter().map(|(key, value)| (attribute_key(key), value.as_str())).into_map();
        spans_by_article.entry(span.article.as_str()).or_default().push(SpanRecord {
            id: span.id.as_str(),
            start: span.start,
            end: span.end,
            label: label_name(project, span),
            label_id: span.label.as_str(),
            text: span.text.as_str(),
            attributes,
        });
    }
    let mut relations_by_article: BTreeMap<&str, Vec<RelationRecord>> = BTreeMap::new();
    for relation in project.relations().values() {
        let (Some(from), Some(to)) = (project.spans().get(&relation.from), project.spans().get(&relation.to)) else {
            continue;
        };
        relations_by_article.entry(from.article.as_str()).or_default().push(RelationRecord {
            id: relation.id.as_str(),
            relation_type: relation.relation_type.as_str(),
            from: relation.from.as_str(),
            to: relation.to.as_str(),
            kind: relation.kind_str(),
            note: relation.note.as_str(),
            from_article: from.article.as_str(),
            to_article: to.article.as_str(),
        });
    }
    let mut output = String::new();
    for article in project.articles() {
        let line = Line {
            id: article.id.as_str(),
            title: &article.title,
            source: &article.source,
            url: &article.url,
            published: &article.published,
            metadata: &article.metadata,
            text: &article.text,
            spans: spans_by_article.remove(article.id.as_str()).unwrap_or_default(),
            relations: relations_by_article.remove(article.id.as_str()).unwrap_or_default(),
        };
        push_json_line(&mut output, &line);
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::{RelationId, SpanId};
    use crate::domain::article::Article;
    use crate::domain::project::{new_relation, new_span, Edit};
    use serde_json::Value;

    #[test]
    fn lines_carry_code_point_offsets_and_label_names() {
        let mut project = Project::with_articles(vec![
            Article::new("Flags 🇺🇸 and \"quotes\": 1.4 million.", "One", "one.txt"),
            Article::new("Other text, nothing tagged.", "Two", "two.txt"),
        ]);
        let first = project.articles()[0].clone();
        let mut span = new_span(&project, SpanId::from("s1"), &first, 6, 8, &"claim".into(), 1).unwrap();
        span.attributes.insert("text".to_string(), "shadow".to_string());
        project.apply(Edit::AddSpan(span), 1).unwrap();
        let other = new_span(&project, SpanId::from("s2"), &first, 23, 34, &"quote".into(), 1).unwrap();
        project.apply(Edit::AddSpan(other), 1).unwrap();
        let relation = new_relation(
            &project,
            RelationId::from("r1"),
            &"supports".into(),
            SpanId::from("s1"),
            SpanId::from("s2"),
            2,
        );
        project.apply(Edit::AddRelation(relation), 2).unwrap();

        let jsonl = to_jsonl(&project);
        let lines: Vec<Value> = jsonl.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert!(jsonl.ends_with('\n'));
        let text: Vec<char> = lines[0]["text"].as_str().unwrap().chars().collect();
        for span in lines[0]["spans"].as_array().unwrap() {
            let (start, end) = (span["start"].as_u64().unwrap() as usize, span["end"].as_u64().unwrap() as usize);
            assert_eq!(text[start..end].iter().collect::<String>(), span["text"].as_str().unwrap());
        }
        assert_eq!(lines[0]["spans"][0]["text"], "🇺🇸");
        assert_eq!(lines[0]["spans"][0]["label"], "Claim");
        assert_eq!(lines[0]["spans"][0]["label_id"], "claim");
        assert_eq!(lines[0]["spans"][0]["attr_text"], "shadow");
        assert_eq!(lines[0]["spans"][0]["verdict"], "unverified");
        assert_eq!(lines[0]["relations"][0]["type"], "supports");
        assert_eq!(lines[0]["relations"][0]["from_article"], first.id.as_str());
        assert!(lines[0]["relations"][0].get("kind").is_none());
        assert!(lines[0].get("url").is_none());
        assert_eq!(lines[1]["spans"], Value::Array(vec![]));
        assert_eq!(to_jsonl(&project), jsonl, "deterministic");
    }
}
