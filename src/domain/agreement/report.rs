//! The agreement report of a project: every pair of annotators, and all of them from three on.
//!
//! For a pair, the compared articles are those both annotated (at least one span each); for the
//! group, those all annotated. Per label: exact and overlap span F1 and Cohen's κ over the
//! non-whitespace code points (also per article); per measured attribute: Krippendorff's α over
//! the spans every compared annotator marked identically; per link type: link F1, a link's
//! ends compared by [`SpanKey`] (both orders for symmetric types). With three or more
//! annotators: Fleiss' κ per label and α per attribute over all of them.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::domain::agreement::measures::{
    exact_span_counts, inside, krippendorff_alpha_nominal, multiset_matches, overlap_span_counts, rated_code_points,
    AlphaCounts, BinaryTable, F1Counts, VoteHistogram,
};
use crate::domain::agreement::{layers, shared_articles, Figure, SpanKey, Undefined};
use crate::domain::annotation::Span;
use crate::domain::article::ArticleId;
use crate::domain::ids::{LabelId, RelationTypeId};
use crate::domain::project::Project;
use crate::domain::schema::{AttributeKind, LabelDef};

#[derive(Clone, Debug, PartialEq)]
pub struct LabelAgreement {
    pub label: LabelId,
    pub exact: F1Counts,
    pub exact_f1: Figure,
    pub overlap: F1Counts,
    pub overlap_f1: Figure,
    pub kappa_table: BinaryTable,
    pub kappa: Figure,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ArticleBreakdown {
    pub article: ArticleId,
    pub labels: Vec<LabelAgreement>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AttributeAgreement {
    pub label: LabelId,
    pub attribute: String,
    pub counts: AlphaCounts,
    pub alpha: Figure,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LinkAgreement {
    pub relation_type: RelationTypeId,
    pub counts: F1Counts,
    pub f1: Figure,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PairAgreement {
    pub a: String,
    pub b: String,
    pub articles: Vec<ArticleId>,
    pub labels: Vec<LabelAgreement>,
    pub attributes: Vec<AttributeAgreement>,
    pub links: Vec<LinkAgreement>,
    pub per_article: Vec<ArticleBreakdown>,
}

impl PairAgreement {
    pub fn label(&self, label: &str) -> Option<&LabelAgreement> {
        self.labels.iter().find(|figures| figures.label == label)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FleissAgreement {
    pub label: LabelId,
    pub votes: VoteHistogram,
    pub kappa: Figure,
}

/// All annotators together (three or more).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupAgreement {
    pub annotators: Vec<String>,
    pub articles: Vec<ArticleId>,
    pub labels: Vec<FleissAgreement>,
    pub attributes: Vec<AttributeAgreement>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AgreementReport {
    pub annotators: Vec<String>,
    pub pairs: Vec<PairAgreement>,
    /// Present from three annotators on.
    pub group: Option<GroupAgreement>,
}

impl AgreementReport {
    pub fn pair(&self, a: &str, b: &str) -> Option<&PairAgreement> {
        self.pairs.iter().find(|pair| (pair.a == a && pair.b == b) || (pair.a == b && pair.b == a))
    }
}

/// The attributes whose agreement is measured: fixed choices, and names of speakers.
pub fn measured_attributes(label: &LabelDef) -> impl Iterator<Item = &str> {
    label.attributes.iter().filter_map(|attribute| match &attribute.kind {
        AttributeKind::Choice { .. } => Some(attribute.key.as_str()),
        AttributeKind::Text { suggest_from: Some(from) } if from == "speaker" => Some(attribute.key.as_str()),
        _ => None,
    })
}

/// An attribute's value for agreement: `None` when missing or blank.
fn attribute_value(span: &Span, key: &str) -> Option<String> {
    let value = span.attribute(key).trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn spans_of<'a>(layer: Option<&'a Vec<Rc<Span>>>, articles: &[ArticleId], label: Option<&LabelId>) -> Vec<&'a Span> {
    layer
        .map(|spans| {
            spans
                .iter()
                .filter(|span| articles.contains(&span.article) && label.is_none_or(|label| &span.label == label))
                .map(|span| &**span)
                .collect()
        })
        .unwrap_or_default()
}

fn spans_in<'a>(spans: &[&'a Span], article: &ArticleId) -> Vec<&'a Span> {
    spans.iter().copied().filter(|span| &span.article == article).collect()
}

fn no_articles(figure: Figure, articles: &[ArticleId]) -> Figure {
    if articles.is_empty() {
        Figure::NotAvailable(Undefined::NoSharedArticles)
    } else {
        figure
    }
}

fn label_agreement(
    project: &Project,
    layers: &BTreeMap<String, Vec<Rc<Span>>>,
    (a, b): (&str, &str),
    label: &LabelId,
    articles: &[ArticleId],
) -> LabelAgreement {
    let a_spans = spans_of(layers.get(a), articles, Some(label));
    let b_spans = spans_of(layers.get(b), articles, Some(label));
    let exact = exact_span_counts(&a_spans, &b_spans);
    let overlap = overlap_span_counts(&a_spans, &b_spans);
    let mut kappa_table = BinaryTable::default();
    for id in articles {
        let Some(article) = project.article(id) else { continue };
        let length = article.char_len();
        let a_here = spans_in(&a_spans, id);
        let b_here = spans_in(&b_spans, id);
        kappa_table.add(&rated_code_points(article), &inside(length, &a_here), &inside(length, &b_here));
    }
    LabelAgreement {
        label: label.clone(),
        exact,
        exact_f1: no_articles(exact.figure(), articles),
        overlap,
        overlap_f1: no_articles(overlap.figure(), articles),
        kappa_table,
        kappa: no_articles(kappa_table.cohen_kappa(), articles),
    }
}

/// α per measured attribute over the spans every one of `authors` marked identically (the
/// first span of each author with that key).
fn attribute_agreement(
    project: &Project,
    layers: &BTreeMap<String, Vec<Rc<Span>>>,
    authors: &[&str],
    articles: &[ArticleId],
) -> Vec<AttributeAgreement> {
    let mut by_key: BTreeMap<SpanKey, Vec<Option<&Span>>> = BTreeMap::new();
    for (index, author) in authors.iter().enumerate() {
        for span in spans_of(layers.get(*author), articles, None) {
            let slot = by_key.entry(SpanKey::of(span)).or_insert_with(|| vec![None; authors.len()]);
            if slot[index].is_none() {
                slot[index] = Some(span);
            }
        }
    }
    let matched: Vec<Vec<&Span>> =
        by_key.into_values().filter_map(|versions| versions.into_iter().collect::<Option<Vec<&Span>>>()).collect();
    let mut figures = Vec::new();
    for label in project.labels() {
        for attribute in measured_attributes(label) {
            let units: Vec<Vec<Option<String>>> = matched
                .iter()
                .filter(|versions| versions[0].label == label.id)
                .map(|versions| versions.iter().map(|span| attribute_value(span, attribute)).collect())
                .collect();
            let (counts, alpha) = krippendorff_alpha_nominal(&units);
            let alpha = match alpha {
                Figure::NotAvailable(Undefined::NoPairableValues) if units.is_empty() => {
                    Figure::NotAvailable(Undefined::NoItems)
                }
                other => other,
            };
            figures.push(AttributeAgreement {
                label: label.id.clone(),
                attribute: attribute.to_string(),
                counts,
                alpha: no_articles(alpha, articles),
            });
        }
    }
    figures
}

/// Link F1 per link type; a link counts when both its ends lie in the compared articles.
fn link_agreement(project: &Project, (a, b): (&str, &str), articles: &[ArticleId]) -> Vec<LinkAgreement> {
    let key_of = |id| project.span(id).filter(|span| articles.contains(&span.article)).map(|span| SpanKey::of(span));
    let links_of = |author: &str, relation_type: &RelationTypeId, symmetric: bool| {
        project
            .relations()
            .values()
            .filter(|relation| relation.author == author && &relation.relation_type == relation_type)
            .filter_map(|relation| {
                let (from, to) = (key_of(&relation.from)?, key_of(&relation.to)?);
                Some(if symmetric && to < from { (to, from) } else { (from, to) })
            })
            .collect::<Vec<_>>()
    };
    project
        .relation_types()
        .iter()
        .map(|relation_type| {
            let counts = multiset_matches(
                links_of(a, &relation_type.id, relation_type.symmetric),
                links_of(b, &relation_type.id, relation_type.symmetric),
            );
            LinkAgreement {
                relation_type: relation_type.id.clone(),
                counts,
                f1: no_articles(counts.figure(), articles),
            }
        })
        .collect()
}

fn pair_agreement(project: &Project, layers: &BTreeMap<String, Vec<Rc<Span>>>, a: &str, b: &str) -> PairAgreement {
    let articles = shared_articles(project, layers, &[a, b]);
    let labels_for = |articles: &[ArticleId]| {
        project.labels().iter().map(|label| label_agreement(project, layers, (a, b), &label.id, articles)).collect()
    };
    PairAgreement {
        a: a.to_string(),
        b: b.to_string(),
        labels: labels_for(&articles),
        attributes: attribute_agreement(project, layers, &[a, b], &articles),
        links: link_agreement(project, (a, b), &articles),
        per_article: articles
            .iter()
            .map(|article| ArticleBreakdown {
                article: article.clone(),
                labels: labels_for(std::slice::from_ref(article)),
            })
            .collect(),
        articles,
    }
}

fn group_agreement(project: &Project, layers: &BTreeMap<String, Vec<Rc<Span>>>, authors: &[&str]) -> GroupAgreement {
    let articles = shared_articles(project, layers, authors);
    let labels = project
        .labels()
        .iter()
        .map(|label| {
            let mut votes = VoteHistogram::new(authors.len());
            for id in &articles {
                let Some(article) = project.article(id) else { continue };
                let marks: Vec<Vec<bool>> = authors
                    .iter()
                    .map(|author| {
                        inside(
                            article.char_len(),
                            &spans_of(layers.get(*author), std::slice::from_ref(id), Some(&label.id)),
                        )
                    })
                    .collect();
                votes.add(&rated_code_points(article), &marks);
            }
            let kappa = no_articles(votes.fleiss_kappa(), &articles);
            FleissAgreement { label: label.id.clone(), votes, kappa }
        })
        .collect();
    GroupAgreement {
        annotators: authors.iter().map(|author| author.to_string()).collect(),
        attributes: attribute_agreement(project, layers, authors, &articles),
        labels,
        articles,
    }
}

/// The whole report (see the module docs). Annotators are the authors of spans, gold excepted,
/// in name order.
pub fn agreement_report(project: &Project) -> AgreementReport {
    let layers = layers(project);
    let annotators: Vec<String> = layers.keys().cloned().collect();
    let mut pairs = Vec::new();
    for (index, a) in annotators.iter().enumerate() {
        for b in &annotators[index + 1..] {
            pairs.push(pair_agreement(project, &layers, a, b));
        }
    }
    let group = (annotators.len() >= 3).then(|| {
        let authors: Vec<&str> = annotators.iter().map(String::as_str).collect();
        group_agreement(project, &layers, &authors)
    });
    AgreementReport { annotators, pairs, group }
}
