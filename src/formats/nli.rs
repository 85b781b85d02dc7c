//! Natural-language-inference pairs (JSON Lines), for training or testing contradiction
//! detectors in the MultiNLI / SNLI convention.
//!
//! One line per link, links in id order:
//!
//! ```json
//! {"premise":"…","hypothesis":"…","label":"contradiction","relation_id":"r-1",
//!  "relation_type":"contradicts","kind":"numeric","premise_article":"a-…",
//!  "hypothesis_article":"a-…","premise_span":"s-1","hypothesis_span":"s-2"}
//! ```
//!
//! - `premise` is the text of the link's `from` span, `hypothesis` that of its `to` span.
//! - `label`: `contradicts` → `contradiction`; `supports` and `same-statement` → `entailment`.
//!   NLI's third label, `neutral`, is never produced: an unlinked pair is not evidence of
//!   neutrality.
//! - `attributed-to` links (a quote and its speaker) are not statements about each other and
//!   are skipped, as are link types a project adds beyond the four defaults.
//! - `kind` is the link's sub-kind (`numeric`, `factual`, …) or `""`.
//! - The three link types are symmetric; each link is written once, in its stored direction.
//!   Swap premise and hypothesis to augment a training set.

use serde::Serialize;

use crate::domain::annotation::Relation;
use crate::domain::project::Project;
use crate::domain::schema::{CONTRADICTS, SAME_STATEMENT, SUPPORTS};

/// The media type of JSON Lines.
pub const MEDIA_TYPE: &str = "application/x-ndjson";
/// A suggested download name.
pub const FILE_NAME: &str = "nli-pairs.jsonl";

#[derive(Serialize)]
struct Pair<'a> {
    premise: &'a str,
    hypothesis: &'a str,
    label: &'static str,
    relation_id: &'a str,
    relation_type: &'a str,
    kind: &'a str,
    premise_article: &'a str,
    hypothesis_article: &'a str,
    premise_span: &'a str,
    hypothesis_span: &'a str,
}

/// The NLI label of a link type, or `None` when such links are not exported.
pub fn nli_label(relation_type: &str) -> Option<&'static str> {
    match relation_type {
        CONTRADICTS => Some("contradiction"),
        SUPPORTS | SAME_STATEMENT => Some("entailment"),
        _ => None,
    }
}

/// Serialises every contradicts / supports / same-statement link as an NLI pair, one per line.
pub fn to_nli_jsonl(project: &Project) -> String {
    let mut output = String::new();
    for relation in project.relations().values() {
        if let Some(line) = pair_line(project, relation) {
            output.push_str(&line);
            output.push('\n');
        }
    }
    output
}

fn pair_line(project: &Project, relation: &Relation) -> Option<String> {
    let label = nli_label(&relation.relation_type)?;
    let premise = project.spans().get(&relation.from)?;
    let hypothesis = project.spans().get(&relation.to)?;
    let pair = Pair {
        premise: &premise.text,
        hypothesis: &hypothesis.text,
        label,
        relation_id: relation.id.as_str(),
        relation_type: &relation.relation_type,
        kind: relation.kind_str(),
        premise_article: premise.article.as_str(),
        hypothesis_article: hypothesis.article.as_str(),
        premise_span: premise.id.as_str(),
        hypothesis_span: hypothesis.id.as_str(),
    };
    serde_json::to_string(&pair).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::{RelationId, SpanId};
    use crate::domain::article::Article;
    use crate::domain::project::{new_relation, new_span, Edit};
    use crate::domain::schema::ATTRIBUTED_TO;
    use serde_json::Value;

    #[test]
    fn pairs_are_labelled_and_attribution_is_skipped() {
        let mut project =
            Project::with_articles(vec![Article::new("It rose 5%.", "", "a"), Article::new("It fell 5%.", "", "b")]);
        let (a, b) = (project.articles()[0].clone(), project.articles()[1].clone());
        for (id, article) in [("s1", &a), ("s2", &b)] {
            let span = new_span(&project, SpanId::from(id), article, 0, 10, &"claim".into(), 0).unwrap();
            project.apply(Edit::AddSpan(span), 0).unwrap();
        }
        for (id, kind) in [("r1", CONTRADICTS), ("r2", ATTRIBUTED_TO), ("r3", SUPPORTS)] {
            let relation = new_relation(&project, RelationId::from(id), &kind.into(), "s1".into(), "s2".into(), 0);
            project.apply(Edit::AddRelation(relation), 0).unwrap();
        }
        let lines: Vec<Value> =
            to_nli_jsonl(&project).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["label"], "contradiction");
        assert_eq!(lines[0]["premise"], "It rose 5%");
        assert_eq!(lines[0]["hypothesis"], "It fell 5%");
        assert_eq!(lines[0]["kind"], "");
        assert_eq!(lines[1]["label"], "entailment");
        assert_eq!(lines[1]["premise_article"], a.id.as_str());
    }
}
