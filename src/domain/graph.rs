//! The claim graph: relations grouped into connected clusters, and consistency warnings.
//!
//! A cluster is a set of spans joined by relations of any type, in any articles: a claim and
//! everything that contradicts, supports or restates it. Warnings point at links that cannot all
//! be right, and at quotes nobody is credited with.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::project::Project;
use crate::domain::schema::{ATTRIBUTED_TO, CONTRADICTS, SAME_STATEMENT, SUPPORTS};
use crate::domain::sorting::InsertEach;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// Spans in export order (article order, then reading order).
    pub spans: Vec<SpanId>,
    /// Relations by id.
    pub relations: Vec<RelationId>,
}

/// The position of every span in export order (article order, then reading order), by id.
fn export_positions(project: &Project) -> BTreeMap<&SpanId, usize> {
    let article_position: BTreeMap<&ArticleId, usize> =
        project.articles().iter().enumerate().map(|(index, article)| (&article.id, index)).into_map();
    let mut spans: Vec<(Option<usize>, &Span)> =
        project.spans().values().map(|span| (article_position.get(&span.article).copied(), &**span)).collect();
    crate::domain::sorting::sort_by(&mut spans, |(left_article, left), (right_article, right)| {
        (left_article, left.reading_order_key()).cmp(&(right_article, right.reading_order_key()))
    });
    spans.into_iter().enumerate().map(|(index, (_, span))| (&span.id, index)).into_map()
}

/// Connected components of the relation graph, largest first (ties: first span's position).
///
/// Union-find over span indices: `O((s + r) log s)` for `s` spans and `r` relations.
pub fn clusters(project: &Project) -> Vec<Cluster> {
    clusters_where(project, |_| true)
}

/// [`clusters`] over only the relations `keep` admits (the story matrix joins claims and quotes
/// by same-statement, supports and contradicts, and leaves speakers out).
pub fn clusters_where(project: &Project, keep: impl Fn(&Relation) -> bool) -> Vec<Cluster> {
    let order = export_positions(project);
    // Every relation end gets an index; `parent` is the union-find forest over them.
    let mut index_of: BTreeMap<&SpanId, usize> = BTreeMap::new();
    let mut ids: Vec<&SpanId> = Vec::new();
    let mut parent: Vec<usize> = Vec::new();
    fn find(parent: &mut [usize], mut node: usize) -> usize {
        let mut root = node;
        while parent[root] != root {
            root = parent[root];
        }
        while parent[node] != root {
            let next = parent[node];
            parent[node] = root;
            node = next;
        }
        root
    }
    let mut ends = Vec::with_capacity(project.relations().len());
    for relation in project.relations().values().filter(|relation| keep(relation)) {
        let [from, to] = [&relation.from, &relation.to].map(|id| {
            *index_of.entry(id).or_insert_with(|| {
                ids.push(id);
                parent.push(parent.len());
                parent.len() - 1
            })
        });
        let (left, right) = (find(&mut parent, from), find(&mut parent, to));
        if left != right {
            parent[left] = right;
        }
        ends.push((from, relation));
    }
    let mut group_of_root: BTreeMap<usize, usize> = BTreeMap::new();
    let mut clusters: Vec<Cluster> = Vec::new();
    for (node, id) in ids.iter().enumerate() {
        let root = find(&mut parent, node);
        let group = *group_of_root.entry(root).or_insert_with(|| {
            clusters.push(Cluster { spans: Vec::new(), relations: Vec::new() });
            clusters.len() - 1
        });
        clusters[group].spans.push((*id).clone());
    }
    for (from, relation) in ends {
        let root = find(&mut parent, from);
        if let Some(group) = group_of_root.get(&root) {
            clusters[*group].relations.push(relation.id.clone());
        }
    }
    let position = |id: &SpanId| order.get(id).copied().unwrap_or(usize::MAX);
    for cluster in &mut clusters {
        crate::domain::sorting::sort_by(&mut cluster.spans, |left, right| {
            (position(left), left).cmp(&(position(right), right))
        });
    }
    fn key<'cluster>(
        cluster: &'cluster Cluster,
        position: &impl Fn(&SpanId) -> usize,
    ) -> (std::cmp::Reverse<usize>, Option<usize>, Option<&'cluster SpanId>) {
        (std::cmp::Reverse(cluster.spans.len()), cluster.spans.first().map(position), cluster.spans.first())
    }
    crate::domain::sorting::sort_by(&mut clusters, |left, right| key(left, &position).cmp(&key(right, &position)));
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

/// The canonical name of a Speaker span: its `canonical` attribute, else its text.
fn canonical_of(span: &Span) -> String {
    let canonical = span.attribute("canonical").trim();
    if canonical.is_empty() {
        span.text.trim().to_string()
    } else {
        canonical.to_string()
    }
}

/// Whether [`canonical_of`] would be empty, without building it.
fn canonical_is_empty(span: &Span) -> bool {
    span.attribute("canonical").trim().is_empty() && span.text.trim().is_empty()
}

/// What [`speaker_of`] needs, indexed once for a whole project: each quote's first
/// `attributed-to` target (by relation id), and (built on first use) the canonical name of the
/// first Speaker span (by span id) of each normalised text.
pub struct SpeakerIndex<'project> {
    project: &'project Project,
    attributed: BTreeMap<&'project SpanId, &'project Span>,
    by_name: OnceCell<BTreeMap<String, String>>,
    /// Whether some Speaker span has an empty canonical name (then a named quote may map to "").
    any_empty_canonical: bool,
}

impl<'project> SpeakerIndex<'project> {
    pub fn new(project: &'project Project) -> SpeakerIndex<'project> {
        let mut attributed = BTreeMap::new();
        for relation in project.relations().values().filter(|relation| relation.relation_type == ATTRIBUTED_TO) {
            if let Some(speaker) = project.spans().get(&relation.to) {
                attributed.entry(&relation.from).or_insert(&**speaker);
            }
        }
        let any_empty_canonical =
            project.spans().values().any(|span| span.label == "speaker" && canonical_is_empty(span));
        SpeakerIndex { project, attributed, by_name: OnceCell::new(), any_empty_canonical }
    }

    fn by_name(&self) -> &BTreeMap<String, String> {
        self.by_name.get_or_init(|| {
            let mut by_name = BTreeMap::new();
            for span in self.project.spans().values().filter(|span| span.label == "speaker") {
                by_name.entry(normalize_name(&span.text)).or_insert_with(|| canonical_of(span));
            }
            by_name
        })
    }

    /// See [`speaker_of`].
    pub fn speaker_of(&self, quote: &Span) -> String {
        if let Some(speaker) = self.attributed.get(&quote.id) {
            return canonical_of(speaker);
        }
        let named = quote.attribute("speaker").trim();
        if named.is_empty() {
            return String::new();
        }
        self.by_name().get(&normalize_name(named)).cloned().unwrap_or_else(|| named.to_string())
    }

    /// Whether [`SpeakerIndex::speaker_of`] is non-empty, mostly without building it.
    pub fn has_speaker(&self, quote: &Span) -> bool {
        if let Some(speaker) = self.attributed.get(&quote.id) {
            return !canonical_is_empty(speaker);
        }
        let named = quote.attribute("speaker").trim();
        if named.is_empty() {
            return false;
        }
        !self.any_empty_canonical || !self.by_name().get(&normalize_name(named)).is_some_and(String::is_empty)
    }
}

/// The speaker a quote is credited with: the `attributed-to` link's Speaker span (its canonical
/// name if set) or else the quote's `speaker` attribute, mapped through any Speaker span of that
/// text that has a canonical name. Empty when there is none.
///
/// Indexes the whole project; for many quotes, build one [`SpeakerIndex`] instead.
pub fn speaker_of(project: &Project, quote: &Span) -> String {
    SpeakerIndex::new(project).speaker_of(quote)
}

/// Two spans (smaller id first) and the `contradicts` and `supports` relations between them.
type Conflict<'project> = ((&'project SpanId, &'project SpanId), (&'project RelationId, &'project RelationId));

/// Pairs of spans linked as both `contradicts` and `supports`, each pair once.
fn contradicts_and_supports(project: &Project) -> Vec<Conflict<'_>> {
    type Ends<'project> = (Option<&'project RelationId>, Option<&'project RelationId>);
    let mut by_pair: BTreeMap<(&SpanId, &SpanId), Ends> = BTreeMap::new();
    for relation in project.relations().values() {
        let contradicts = relation.relation_type == CONTRADICTS;
        if !contradicts && relation.relation_type != SUPPORTS {
            continue;
        }
        let pair =
            if relation.from <= relation.to { (&relation.from, &relation.to) } else { (&relation.to, &relation.from) };
        let entry = by_pair.entry(pair).or_default();
        // The last relation of each type (by id) names the pair, as a map insert would.
        if contradicts {
            entry.0 = Some(&relation.id);
        } else {
            entry.1 = Some(&relation.id);
        }
    }
    by_pair
        .into_iter()
        .filter_map(|(pair, ends)| match ends {
            (Some(contradicts), Some(supports)) => Some((pair, (contradicts, supports))),
            _ => None,
        })
        .collect()
}

/// Whether the two quotes of a `same-statement` link credit different people.
fn different_speakers(speakers: &SpeakerIndex, from: &Span, to: &Span) -> Option<(String, String)> {
    let (from_speaker, to_speaker) = (speakers.speaker_of(from), speakers.speaker_of(to));
    (!same_person(&normalize_name(&from_speaker), &normalize_name(&to_speaker))).then_some((from_speaker, to_speaker))
}

/// The quotes of `same-statement` links (both ends quotes), in relation id order.
fn same_statement_quotes(project: &Project) -> impl Iterator<Item = (&RelationId, &Span, &Span)> {
    project.relations().values().filter(|relation| relation.relation_type == SAME_STATEMENT).filter_map(|relation| {
        let (from, to) = (project.spans().get(&relation.from)?, project.spans().get(&relation.to)?);
        (from.label == "quote" && to.label == "quote").then_some((&relation.id, &**from, &**to))
    })
}

/// How many warnings [`consistency_warnings`] lists, without writing their messages: what the
/// header shows after every change.
pub fn consistency_warning_count(project: &Project) -> usize {
    let speakers = SpeakerIndex::new(project);
    let silent = project.spans().values().filter(|span| span.label == "quote" && !speakers.has_speaker(span)).count();
    let crediting = same_statement_quotes(project)
        .filter(|(_, from, to)| different_speakers(&speakers, from, to).is_some())
        .count();
    contradicts_and_supports(project).len() + silent + crediting
}

/// Links that cannot all be right and quotes nobody is credited with, by kind, then in export
/// order. Near-linear in the project's size: the indexes are built once, and only the quotes
/// that lack a speaker are sorted.
pub fn consistency_warnings(project: &Project) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let excerpt = |id: &SpanId| {
        project.spans().get(id).map(|span| crate::domain::article::shorten(&span.text, 50)).unwrap_or_default()
    };

    for ((left, right), (contradicts, supports)) in contradicts_and_supports(project) {
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

    let speakers = SpeakerIndex::new(project);
    let article_position: BTreeMap<&ArticleId, usize> =
        project.articles().iter().enumerate().map(|(index, article)| (&article.id, index)).into_map();
    let mut silent: Vec<&Span> = project
        .spans()
        .values()
        .filter(|span| span.label == "quote" && !speakers.has_speaker(span))
        .map(|span| &**span)
        .collect();
    crate::domain::sorting::sort_by(&mut silent, |left, right| {
        (article_position.get(&left.article), left.reading_order_key())
            .cmp(&(article_position.get(&right.article), right.reading_order_key()))
    });
    for span in silent {
        warnings.push(Warning {
            kind: WarningKind::QuoteWithoutSpeaker,
            message: format!("The quote \"{}\" has no speaker.", excerpt(&span.id)),
            spans: vec![span.id.clone()],
            relations: Vec::new(),
        });
    }

    for (relation, from, to) in same_statement_quotes(project) {
        if let Some((from_speaker, to_speaker)) = different_speakers(&speakers, from, to) {
            warnings.push(Warning {
                kind: WarningKind::SameStatementDifferentSpeakers,
                message: format!(
                    "The same statement is credited to {from_speaker} (\"{}\") and to {to_speaker} (\"{}\").",
                    excerpt(&from.id),
                    excerpt(&to.id)
                ),
                spans: vec![from.id.clone(), to.id.clone()],
                relations: vec![relation.clone()],
            });
        }
    }
    // Stable: within a kind, the order above (pairs by id, quotes in export order, links by id).
    crate::domain::sorting::sort_by_key(&mut warnings, |warning| warning.kind);
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
            let span =
                new_span(&project, SpanId::from(format!("s{index}")), &article, *start, *end, &(*label).into(), 0)
                    .unwrap();
            project.apply(Edit::AddSpan(span), 0).unwrap();
        }
        project
    }

    fn link(project: &mut Project, id: &str, kind: &str, from: &str, to: &str) {
        let relation =
            new_relation(project, RelationId::from(id), &kind.into(), SpanId::from(from), SpanId::from(to), 0);
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
        let mut quote = (*project.spans()[&SpanId::from("s2")]).clone();
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
