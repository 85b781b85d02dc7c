//! FEVER-style claim verification (JSON Lines): each claim with a label from its links and the
//! linked spans as evidence.
//!
//! ```json
//! {"id":1,"claim":"…","label":"REFUTES","verifiable":"VERIFIABLE","conflicting":false,
//!  "claim_article":"a-…","claim_span":"s-1","claim_start":10,"claim_end":25,"claim_sentence":"…",
//!  "evidence":[[{"article_id":"a-…","span_id":"s-2","start":3,"end":9,"text":"…",
//!                "sentence":"…","relation_id":"r-1","relation_type":"contradicts","stance":"refutes"}]]}
//! ```
//!
//! - One line per span labelled Claim, in reading order; `id` counts from 1.
//! - `supports` and `same-statement` links are supporting evidence, `contradicts` refuting
//!   evidence (links of other types are not evidence). `label`: `SUPPORTS` when there is only
//!   supporting evidence, `REFUTES` when only refuting, else `NOT ENOUGH INFO` — with no evidence
//!   (`verifiable` `NOT VERIFIABLE`, `evidence` `[]`) or with evidence both ways
//!   (`conflicting` true, both kinds listed).
//! - As in FEVER, `evidence` is a list of evidence sets, each enough on its own: here every
//!   linked span is one set of one item, with its article, code-point offsets and sentence.

use serde::Serialize;

use crate::domain::project::Project;
use crate::domain::schema::{CONTRADICTS, SAME_STATEMENT, SUPPORTS};
use crate::domain::sentences::SpanSentences;
use crate::formats::common::push_json_line;
use crate::formats::nli::CLAIM_LABEL;

#[derive(Serialize)]
struct Line<'a> {
    id: usize,
    claim: &'a str,
    label: &'static str,
    verifiable: &'static str,
    conflicting: bool,
    claim_article: &'a str,
    claim_span: &'a str,
    claim_start: usize,
    claim_end: usize,
    claim_sentence: String,
    evidence: Vec<[Evidence<'a>; 1]>,
}

#[derive(Serialize)]
struct Evidence<'a> {
    article_id: &'a str,
    span_id: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
    sentence: String,
    relation_id: &'a str,
    relation_type: &'a str,
    stance: &'static str,
}

/// The stance a link type gives its other end towards a claim, or `None` when it is no evidence.
pub fn stance(relation_type: &str) -> Option<&'static str> {
    match relation_type {
        SUPPORTS | SAME_STATEMENT => Some("supports"),
        CONTRADICTS => Some("refutes"),
        _ => None,
    }
}

/// Serialises one FEVER line per claim.
pub fn to_fever_jsonl(project: &Project) -> String {
    let mut sentences = SpanSentences::new(project);
    let mut output = String::new();
    let claims = project.spans_in_order();
    let mut id = 0;
    for ordered in &claims {
        let Some(claim) = project.spans().get(&ordered.id).map(|span| span.as_ref()) else { continue };
        if claim.label != CLAIM_LABEL {
            continue;
        }
        id += 1;
        let mut evidence = Vec::new();
        for relation in project.relations().values() {
            let Some(stance) = stance(&relation.relation_type) else { continue };
            let Some(other) = relation.other_end(&claim.id).and_then(|other| project.spans().get(other)) else {
                continue;
            };
            evidence.push([Evidence {
                article_id: other.article.as_str(),
                span_id: other.id.as_str(),
                start: other.start,
                end: other.end,
                text: &other.text,
                sentence: sentences.sentence(other),
                relation_id: relation.id.as_str(),
                relation_type: &relation.relation_type,
                stance,
            }]);
        }
        let supports = evidence.iter().any(|[item]| item.stance == "supports");
        let refutes = evidence.iter().any(|[item]| item.stance == "refutes");
        let label = match (supports, refutes) {
            (true, false) => "SUPPORTS",
            (false, true) => "REFUTES",
            _ => "NOT ENOUGH INFO",
        };
        let line = Line {
            id,
            claim: &claim.text,
            label,
            verifiable: if evidence.is_empty() { "NOT VERIFIABLE" } else { "VERIFIABLE" },
            conflicting: supports && refutes,
            claim_article: claim.article.as_str(),
            claim_span: claim.id.as_str(),
            claim_start: claim.start,
            claim_end: claim.end,
            claim_sentence: sentences.sentence(claim),
            evidence,
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
    fn labels_follow_the_links_and_evidence_carries_its_sentence() {
        let texts = ["It rose 5%. Fine.", "It fell 5%. Sad.", "It went up 5%. Yes.", "Rain. Sun."];
        let mut project = Project::with_articles(texts.iter().map(|text| Article::new(text, "", text)).collect());
        let articles = project.articles().to_vec();
        for (id, article, end) in [("s1", 0, 10), ("s2", 1, 10), ("s3", 2, 13), ("s4", 3, 4)] {
            let span = new_span(&project, SpanId::from(id), &articles[article], 0, end, &"claim".into(), 0).unwrap();
            project.apply(Edit::AddSpan(span), 0).unwrap();
        }
        for (id, kind, from, to) in [("r1", CONTRADICTS, "s1", "s2"), ("r2", SUPPORTS, "s3", "s1")] {
            let relation = new_relation(&project, RelationId::from(id), &kind.into(), from.into(), to.into(), 0);
            project.apply(Edit::AddRelation(relation), 0).unwrap();
        }
        let lines: Vec<Value> =
            to_fever_jsonl(&project).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        let by_span = |id: &str| lines.iter().find(|line| line["claim_span"] == id).unwrap().clone();
        assert_eq!(by_span("s1")["label"], "NOT ENOUGH INFO");
        assert_eq!(by_span("s1")["conflicting"], true);
        assert_eq!(by_span("s2")["label"], "REFUTES");
        assert_eq!(by_span("s2")["evidence"][0][0]["sentence"], "It rose 5%.");
        assert_eq!(by_span("s3")["label"], "SUPPORTS");
        assert_eq!(by_span("s4")["label"], "NOT ENOUGH INFO");
        assert_eq!(by_span("s4")["verifiable"], "NOT VERIFIABLE");
        assert_eq!(by_span("s4")["evidence"], Value::Array(vec![]));
    }
}
