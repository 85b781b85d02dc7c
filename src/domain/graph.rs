//! The claim graph: relations grouped into connected clusters, and consistency warnings.
//!
//! A cluster is a set of spans joined by relations of any type, in any articles: a claim and
//! everything that contradicts, supports or restates it. Warnings point at links that cannot all
//! be right, and at quotes nobody is credited with.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::annotation::{RelationId, Span, SpanId};
use crate::domain::project::Project;
use crate::domain::schema::{ATTRIBUTED_TO, CONTRADICTS, SAME_STATEMENT, SUPPORTS};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// Spans in export order (article order, then reading order).
    pub spans: Vec<SpanId>,
    /// Relations by id.
    pub relations: Vec<RelationId>,
}

/// Connected components of the relation graph, largest first (ties: first span's position).
pub fn clusters(project: &Project) -> Vec<Cluster> {
    let order: BTreeMap<SpanId, usize> =
        project.spans_in_order().iter().enumerate().map(|(index, span)| (span.id.clone(), index)).collect();
    let mut parent: BTreeMap<SpanId, SpanId> = BTreeMap::new();
    fn find(parent: &mut BTreeMap<SpanId, SpanId>, id: &SpanId) -> SpanId {
        let mut root = id.clone();
        while let Some(next) = parent.get(&root).filter(|next| *next != &root).cloned() {
            root = next;
        }
        // Path compression keeps later look-ups short.
        let mut current = id.clone();
        while let Some(next) = parent.get(&current).cloned() {
            if next == root {
                break;
            }
            parent.insert(current, root.clone());
            current = next;
        }
        root
    }
    for relation in project.relations.values() {
        for end in [&relation.from, &relation.to] {
            parent.entry(end.clone()).or_insert_with(|| end.clone());
        }
        let left = find(&mut parent, &relation.from);
        let right = find(&mut parent, &relation.to);
        if left != right {
            parent.insert(left, right);
        }
    }
    let mut groups: BTreeMap<SpanId, Cluster> = BTreeMap::new();
    let span_ids: Vec<SpanId> = parent.keys().cloned().collect();
    for id in span_ids {
        let root = find(&mut parent, &id);
        groups.entry(root).or_insert_with(|| Cluster { spans: Vec::new(), relations: Vec::new() }).spans.push(id);
    }
    for relation in project.relations.values() {
        let root = find(&mut parent, &relation.from);
        if let Some(cluster) = groups.get_mut(&root) {
            cluster.relations.push(relation.id.clone());
        }
    }
    let mut clusters: Vec<Cluster> = groups.into_values().collect();
    for cluster in &mut clusters {
        cluster.spans.sort_by_key(|id| order.get(id).copied().unwrap_or(usize::MAX));
    }
    clusters.sort_by_key(|cluster| {
        (std::cmp::Reverse(cluster.spans.len()), cluster.spans.first().and_then(|id| order.get(id).copied()))
    });
    clusters
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum WarningKind {
    /// The same two spans are linked as both `contradicts` and `supports`.
    ContradictsAndSupports,
    /// A quote with neither a speaker attribute nor an `attributed-to` link.
    QuoteWithoutSpeaker,
    /// Two quotes linked as `same-statement` credit different speakers.
    SameStatementDifferentSpeakers,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    pub message: String,
    pub spans: Vec<SpanId>,
    pub relations: Vec<RelationId>,
}

/// Lower-case, single-spaced, without a leading title word list: for comparing speaker names.
fn normalize_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether two normalised names plausibly name one person: equal, or one is the other's
/// trailing words ("kirby" and "john kirby", "john kirby" and "spokesman john kirby").
fn same_person(left: &str, right: &str) -> bool {
    if left.is_empty() || right.is_empty() {
        return true;
    }
    left == right || left.ends_with(&format!(" {right}")) || right.ends_with(&format!(" {left}"))
}

/// The speaker a quote is credited with: the `attributed-to` link's Speaker span (its canonical
/// name if set) or else the quote's `speaker` attribute, mapped through any Speaker span of that
/// text that has a canonical name. Empty when there is none.
pub fn speaker_of(project: &Project, quote: &Span) -> String {
    let canonical_of = |span: &Span| {
        let canonical = span.attribute("canonical").trim();
        if canonical.is_empty() {
            span.text.trim().to_string()
        } else {
            canonical.to_string()
        }
    };
    let linked = project
        .relations
        .values()
        .filter(|relation| relation.relation_type == ATTRIBUTED_TO && relation.from == quote.id)
        .find_map(|relation| project.spans.get(&relation.to));
    if let Some(speaker) = linked {
        return canonical_of(speaker);
    }
    let named = quote.attribute("speaker").trim();
    if named.is_empty() {
        return String::new();
    }
    let normalized = normalize_name(named);
    project
        .spans
        .values()
        .filter(|span| span.label == "speaker" && normalize_name(&span.text) == normalized)
        .map(|span| canonical_of(span))
        .next()
        .unwrap_or_else(|| named.to_string())
}

pub fn consistency_warnings(project: &Project) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let excerpt = |id: &SpanId| {
        project.spans.get(id).map(|span| crate::domain::article::shorten(&span.text, 50)).unwrap_or_default()
    };

    let mut by_pair: BTreeMap<(SpanId, SpanId), BTreeMap<&str, RelationId>> = BTreeMap::new();
    for relation in project.relations.values() {
        let pair = if relation.from <= relation.to {
            (relation.from.clone(), relation.to.clone())
        } else {
            (relation.to.clone(), relation.from.clone())
        };
        by_pair.entry(pair).or_default().insert(relation.relation_type.as_str(), relation.id.clone());
    }
    for ((left, right), types) in &by_pair {
        if let (Some(contradicts), Some(supports)) = (types.get(CONTRADICTS), types.get(SUPPORTS)) {
            warnings.push(Warning {
                kind: WarningKind::ContradictsAndSupports,
                message: format!(
                    "\"{}\" and \"{}\" are linked as both contradicts and supports.",
                    excerpt(left),
                    excerpt(right)
                ),
                spans: vec![left.clone(), right.clone()],
                relations: vec![contradicts.clone(), supports.clone()],
            });
        }
    }

    for span in project.spans_in_order() {
        if span.label == "quote" && speaker_of(project, &span).is_empty() {
            warnings.push(Warning {
                kind: WarningKind::QuoteWithoutSpeaker,
                message: format!("The quote \"{}\" has no speaker.", excerpt(&span.id)),
                spans: vec![span.id.clone()],
                relations: Vec::new(),
            });
        }
    }

    let mut seen = BTreeSet::new();
    for relation in project.relations.values().filter(|relation| relation.relation_type == SAME_STATEMENT) {
        let (Some(from), Some(to)) = (project.spans.get(&relation.from), project.spans.get(&relation.to)) else {
            continue;
        };
        if from.label != "quote" || to.label != "quote" || !seen.insert(relation.id.clone()) {
            continue;
        }
        let (from_speaker, to_speaker) = (speaker_of(project, from), speaker_of(project, to));
        if !same_person(&normalize_name(&from_speaker), &normalize_name(&to_speaker)) {
            warnings.push(Warning {
                kind: WarningKind::SameStatementDifferentSpeakers,
                message: format!(
                    "The same statement is credited to {from_speaker} (\"{}\") and to {to_speaker} (\"{}\").",
                    excerpt(&from.id),
                    excerpt(&to.id)
                ),
                spans: vec![from.id.clone(), to.id.clone()],
                relations: vec![relation.id.clone()],
            });
        }
    }
    warnings.sort_by_key(|warning| warning.kind);
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::RelationId;
    use crate::domain::article::Article;
    use crate::domain::project::{new_relation, new_span, Edit};

    fn project_with_spans(ranges: &[(usize, usize, &str)]) -> Project {
        let article = Article::new(
            "Kirby said \"it is non-binding\". Officials said \"it is binding\". John Kirby spoke.",
            "",
            "t",
        );
        let mut project = Project::with_articles(vec![article.clone()]);
        for (index, (start, end, label)) in ranges.iter().enumerate() {
            let span = new_span(&project, SpanId(format!("s{index}")), &article, *start, *end, label, 0).unwrap();
            project.apply(Edit::AddSpan(span), 0).unwrap();
        }
        project
    }

    fn link(project: &mut Project, id: &str, kind: &str, from: &str, to: &str) {
        let relation = new_relation(project, RelationId::from(id), kind, SpanId::from(from), SpanId::from(to), 0);
        project.apply(Edit::AddRelation(relation), 0).unwrap();
    }

    #[test]
    fn clusters_join_across_relations() {
        let mut project =
            project_with_spans(&[(0, 5, "speaker"), (12, 29, "quote"), (48, 61, "quote"), (64, 74, "speaker")]);
        link(&mut project, "r1", SAME_STATEMENT, "s1", "s2");
        link(&mut project, "r2", ATTRIBUTED_TO, "s1", "s0");
        let clusters = clusters(&project);
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].spans, vec![SpanId::from("s0"), SpanId::from("s1"), SpanId::from("s2")]);
        assert_eq!(clusters[0].relations.len(), 2);
        link(&mut project, "r3", SUPPORTS, "s3", "s0");
        assert_eq!(super::clusters(&project)[0].spans.len(), 4);
    }

    #[test]
    fn each_consistency_rule_fires() {
        let mut project =
            project_with_spans(&[(0, 5, "speaker"), (12, 29, "quote"), (48, 61, "quote"), (64, 74, "speaker")]);
        let kinds =
            |project: &Project| consistency_warnings(project).iter().map(|warning| warning.kind).collect::<Vec<_>>();
        assert_eq!(kinds(&project), vec![WarningKind::QuoteWithoutSpeaker, WarningKind::QuoteWithoutSpeaker]);

        link(&mut project, "r1", ATTRIBUTED_TO, "s1", "s0");
        let mut quote = (*project.spans[&SpanId::from("s2")]).clone();
        quote.attributes.insert("speaker".to_string(), "Officials".to_string());
        project.apply(Edit::UpdateSpan(quote.clone()), 1).unwrap();
        assert!(kinds(&project).is_empty());

        link(&mut project, "r2", SAME_STATEMENT, "s1", "s2");
        assert_eq!(kinds(&project), vec![WarningKind::SameStatementDifferentSpeakers]);
        quote.attributes.insert("speaker".to_string(), "John Kirby".to_string());
        project.apply(Edit::UpdateSpan(quote), 2).unwrap();
        assert!(kinds(&project).is_empty(), "Kirby and John Kirby are one person");

        link(&mut project, "r3", CONTRADICTS, "s1", "s2");
        link(&mut project, "r4", SUPPORTS, "s2", "s1");
        assert_eq!(kinds(&project), vec![WarningKind::ContradictsAndSupports]);
    }
}
