//! Natural-language-inference pairs (JSON Lines) in the MultiNLI / SNLI convention: three
//! classes, span texts with their sentences, both directions where a link licenses both.
//!
//! ```json
//! {"premise":"…","hypothesis":"…","premise_sentence":"…","hypothesis_sentence":"…",
//!  "label":"contradiction","relation_id":"r-1","relation_type":"contradicts","kind":"numeric",
//!  "direction":"forward","sampled":false,"origin":"annotator","suggestion":"",
//!  "premise_article":"a-…","hypothesis_article":"a-…","premise_span":"s-1","hypothesis_span":"s-2",
//!  "premise_author":"…","hypothesis_author":"…","link_author":"…"}
//! ```
//!
//! - `contradicts` → `contradiction`, one row in the link's stored direction (contradiction is
//!   symmetric: swap the two for more data). `supports` → `entailment` from the supporting
//!   (`from`) span to the supported (`to`) one. `same-statement` → `entailment` in both
//!   directions (`direction` `forward` and `reverse`): a restatement entails and is entailed.
//!   `attributed-to` and link types a project adds are not statements about each other.
//! - `neutral`: pairs of claims in two different articles that no chain of links joins,
//!   sampled with a fixed seed ([`NEUTRAL_SEED`]), `ratio` neutral rows per linked row (default
//!   1:1, as many as exist when there are fewer), marked `"sampled": true`, `origin` `sampled`,
//!   with `relation_id`, `relation_type` and `direction` `null`.
//! - Every link in a project was drawn by a person or accepted by one; `origin` says which
//!   (`annotator` or `accepted-suggestion`, with the suggestion's key in `suggestion`): a machine
//!   proposed the latter, a person approved it.
//! - `premise_sentence` / `hypothesis_sentence`: the sentence(s) of the article holding the span
//!   ([`Sentences`]), so a model sees the span in the words that make it a claim.
//! - Rows: linked pairs in link-id order, then the sampled neutral pairs. The same project and
//!   ratio always give the same bytes.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::annotation::{Relation, Span, SpanId};
use crate::domain::project::Project;
use crate::domain::schema::{CONTRADICTS, SAME_STATEMENT, SUPPORTS};
use crate::domain::sentences::SpanSentences;
use crate::formats::common::push_json_line;

/// The seed of the neutral-pair sampler: the same project gives the same file.
pub const NEUTRAL_SEED: u64 = 0x005e_edc0_ffee_2024;
/// The label id of the spans neutral pairs are drawn from.
pub const CLAIM_LABEL: &str = "claim";

#[derive(Serialize)]
struct Pair<'a> {
    premise: &'a str,
    hypothesis: &'a str,
    premise_sentence: String,
    hypothesis_sentence: String,
    label: &'static str,
    relation_id: Option<&'a str>,
    relation_type: Option<&'a str>,
    kind: &'a str,
    direction: Option<&'static str>,
    sampled: bool,
    origin: &'static str,
    suggestion: &'a str,
    premise_article: &'a str,
    hypothesis_article: &'a str,
    premise_span: &'a str,
    hypothesis_span: &'a str,
    premise_author: &'a str,
    hypothesis_author: &'a str,
    link_author: &'a str,
}

/// The NLI label of a link type, or `None` when such links are not exported.
pub fn nli_label(relation_type: &str) -> Option<&'static str> {
    match relation_type {
        CONTRADICTS => Some("contradiction"),
        SUPPORTS | SAME_STATEMENT => Some("entailment"),
        _ => None,
    }
}

/// How many rows a link gives (0 for link types that are not exported).
pub fn rows_per_link(relation_type: &str) -> usize {
    match relation_type {
        SAME_STATEMENT => 2,
        CONTRADICTS | SUPPORTS => 1,
        _ => 0,
    }
}

/// SplitMix64: a small, well-known generator, enough for a reproducible sample.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut value = self.0;
        value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        value ^ (value >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// Union-find over span ids: which spans a chain of links joins.
fn components(project: &Project) -> HashMap<&SpanId, usize> {
    let ids: Vec<&SpanId> = project.spans().keys().collect();
    let index: HashMap<&SpanId, usize> = ids.iter().enumerate().map(|(position, id)| (*id, position)).collect();
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    fn root(parent: &mut [usize], mut node: usize) -> usize {
        while parent[node] != node {
            parent[node] = parent[parent[node]];
            node = parent[node];
        }
        node
    }
    for relation in project.relations().values() {
        if let (Some(&from), Some(&to)) = (index.get(&relation.from), index.get(&relation.to)) {
            let (a, b) = (root(&mut parent, from), root(&mut parent, to));
            parent[a] = b;
        }
    }
    ids.iter().enumerate().map(|(position, id)| (*id, root(&mut parent, position))).collect()
}

/// `count` pairs of claims in different articles that no chain of links joins, drawn with
/// [`NEUTRAL_SEED`] (a partial Fisher–Yates shuffle of all candidates in span-id order).
fn neutral_pairs(project: &Project, count: usize) -> Vec<(&Span, &Span)> {
    if count == 0 {
        return Vec::new();
    }
    let component = components(project);
    let claims: Vec<&Span> =
        project.spans().values().map(|span| span.as_ref()).filter(|span| span.label == CLAIM_LABEL).collect();
    let mut candidates: Vec<(&Span, &Span)> = Vec::new();
    for (position, first) in claims.iter().enumerate() {
        for second in &claims[position + 1..] {
            if first.article != second.article && component.get(&first.id) != component.get(&second.id) {
                candidates.push((first, second));
            }
        }
    }
    let mut random = SplitMix64(NEUTRAL_SEED);
    let take = count.min(candidates.len());
    for position in 0..take {
        let chosen = position + random.below(candidates.len() - position);
        candidates.swap(position, chosen);
    }
    candidates.truncate(take);
    // Half the pairs the other way round, so position says nothing about the label.
    candidates.into_iter().map(|(a, b)| if random.next() & 1 == 0 { (a, b) } else { (b, a) }).collect()
}

/// Serialises the NLI pairs, `neutral_ratio` sampled neutral rows per linked row.
pub fn to_nli_jsonl(project: &Project, neutral_ratio: f64) -> String {
    let mut sentences = SpanSentences::new(project);
    let mut rows: Vec<Pair> = Vec::new();
    for relation in project.relations().values() {
        let Some(label) = nli_label(&relation.relation_type) else { continue };
        let (Some(from), Some(to)) = (project.spans().get(&relation.from), project.spans().get(&relation.to)) else {
            continue;
        };
        rows.push(pair(&mut sentences, from, to, label, Some((relation, "forward"))));
        if rows_per_link(&relation.relation_type) == 2 {
            rows.push(pair(&mut sentences, to, from, label, Some((relation, "reverse"))));
        }
    }
    let wanted = (rows.len() as f64 * neutral_ratio.clamp(0.0, 100.0)).round() as usize;
    for (premise, hypothesis) in neutral_pairs(project, wanted) {
        rows.push(pair(&mut sentences, premise, hypothesis, "neutral", None));
    }
    let mut output = String::new();
    for row in rows {
        push_json_line(&mut output, &row);
    }
    output
}

fn pair<'a>(
    sentences: &mut SpanSentences<'a>,
    premise: &'a Span,
    hypothesis: &'a Span,
    label: &'static str,
    link: Option<(&'a Relation, &'static str)>,
) -> Pair<'a> {
    let origin = match link {
        None => "sampled",
        Some((relation, _)) if relation.suggestion.is_some() => "accepted-suggestion",
        Some(_) => "annotator",
    };
    Pair {
        premise: &premise.text,
        hypothesis: &hypothesis.text,
        premise_sentence: sentences.sentence(premise),
        hypothesis_sentence: sentences.sentence(hypothesis),
        label,
        relation_id: link.map(|(relation, _)| relation.id.as_str()),
        relation_type: link.map(|(relation, _)| relation.relation_type.as_str()),
        kind: link.map(|(relation, _)| relation.kind_str()).unwrap_or(""),
        direction: link.map(|(_, direction)| direction),
        sampled: link.is_none(),
        origin,
        suggestion: link.and_then(|(relation, _)| relation.suggestion.as_ref()).map_or("", |key| key.as_str()),
        premise_article: premise.article.as_str(),
        hypothesis_article: hypothesis.article.as_str(),
        premise_span: premise.id.as_str(),
        hypothesis_span: hypothesis.id.as_str(),
        premise_author: &premise.author,
        hypothesis_author: &hypothesis.author,
        link_author: link.map(|(relation, _)| relation.author.as_str()).unwrap_or(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::{RelationId, SpanId};
    use crate::domain::article::Article;
    use crate::domain::ids::SuggestionKey;
    use crate::domain::project::{new_relation, new_span, Edit};
    use crate::domain::schema::ATTRIBUTED_TO;
    use serde_json::Value;

    fn lines(project: &Project, ratio: f64) -> Vec<Value> {
        to_nli_jsonl(project, ratio).lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    }

    fn project() -> Project {
        let texts = ["Prices rose. It rose 5% in May.", "It fell 5% in May. Odd.", "Rain fell. Nobody came."];
        let mut project =
            Project::with_articles(texts.iter().map(|text| Article::new(text, "", text)).collect::<Vec<_>>());
        let articles: Vec<_> = project.articles().to_vec();
        let spans = [("s1", 0, 13, 30), ("s2", 1, 0, 17), ("s3", 2, 0, 9), ("s4", 2, 11, 22), ("s5", 0, 0, 11)];
        for (id, article, start, end) in spans {
            let span =
                new_span(&project, SpanId::from(id), &articles[article], start, end, &"claim".into(), 0).unwrap();
            project.apply(Edit::AddSpan(span), 0).unwrap();
        }
        for (id, kind, from, to) in
            [("r1", CONTRADICTS, "s1", "s2"), ("r2", ATTRIBUTED_TO, "s3", "s4"), ("r3", SAME_STATEMENT, "s5", "s1")]
        {
            let mut relation = new_relation(&project, RelationId::from(id), &kind.into(), from.into(), to.into(), 0);
            if id == "r3" {
                relation.suggestion = Some(SuggestionKey::from("same-statement:a:b"));
            }
            project.apply(Edit::AddRelation(relation), 0).unwrap();
        }
        project
    }

    #[test]
    fn three_classes_with_sentences_directions_and_provenance() {
        let rows = lines(&project(), 1.0);
        let labels: Vec<&str> = rows.iter().map(|row| row["label"].as_str().unwrap()).collect();
        assert_eq!(&labels[..3], ["contradiction", "entailment", "entailment"]);
        assert_eq!(rows[0]["premise"], "It rose 5% in May");
        assert_eq!(rows[0]["premise_sentence"], "It rose 5% in May.");
        assert_eq!(rows[0]["hypothesis_sentence"], "It fell 5% in May.");
        assert_eq!(rows[0]["origin"], "annotator");
        assert_eq!((rows[1]["direction"].as_str(), rows[2]["direction"].as_str()), (Some("forward"), Some("reverse")));
        assert_eq!(rows[1]["premise_span"], rows[2]["hypothesis_span"]);
        assert_eq!(rows[1]["origin"], "accepted-suggestion");
        assert_eq!(rows[1]["suggestion"], "same-statement:a:b");
        // s3 and s4 are joined by attribution, s1/s2/s5 by links: the unjoined cross-article claim
        // pairs are (s1|s2|s5) × (s3|s4) = 6, of which 3 are wanted at 1:1.
        let neutral: Vec<&Value> = rows.iter().filter(|row| row["label"] == "neutral").collect();
        assert_eq!(neutral.len(), 3);
        assert!(neutral.iter().all(|row| row["sampled"] == true && row["relation_id"].is_null()));
        assert_eq!(to_nli_jsonl(&project(), 1.0), to_nli_jsonl(&project(), 1.0), "fixed seed");
    }

    #[test]
    fn the_ratio_sets_how_many_neutral_rows_and_never_invents_pairs() {
        let count = |ratio| lines(&project(), ratio).iter().filter(|row| row["label"] == "neutral").count();
        assert_eq!(count(0.0), 0);
        assert_eq!(count(1.0 / 3.0), 1);
        assert_eq!(count(2.0), 6, "only 6 unjoined pairs exist");
    }
}
