//! Inter-annotator agreement: how far the annotators' layers agree, figure by figure.
//!
//! A *layer* is everything one author made (spans and links carry an `author`); the gold layer
//! (author [`GOLD`]) is the adjudicated result and is never compared. Every figure is either a
//! number or [`Figure::NotAvailable`] with the [`Undefined`] reason — never NaN, never a made-up
//! 1.0. `measures` holds the formulas, `report` applies them to a project: for every pair of
//! annotators over the articles both annotated, and with three or more annotators over the
//! articles all of them annotated.

pub mod measures;
pub mod report;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::rc::Rc;

use crate::domain::annotation::Span;
use crate::domain::article::ArticleId;
use crate::domain::ids::LabelId;
use crate::domain::project::Project;

pub use report::{agreement_report, AgreementReport};

/// The author of the adjudicated gold layer.
pub const GOLD: &str = "gold";

/// Why a figure has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Undefined {
    /// No article was annotated by every compared annotator.
    NoSharedArticles,
    /// Neither layer has a span (or link) of this kind: F1 is 0/0.
    NoAnnotations,
    /// There is nothing to rate (no non-whitespace code point, no exactly matched span).
    NoItems,
    /// Every rating falls in one category, so chance agreement is 1 and κ or α is 0/0.
    SingleCategory,
    /// No item has values from two annotators (α needs pairable values).
    NoPairableValues,
}

impl Undefined {
    /// The stable name used in exports.
    pub fn code(self) -> &'static str {
        match self {
            Undefined::NoSharedArticles => "no_shared_articles",
            Undefined::NoAnnotations => "no_annotations",
            Undefined::NoItems => "no_items",
            Undefined::SingleCategory => "single_category",
            Undefined::NoPairableValues => "no_pairable_values",
        }
    }

    /// The reason in words, for people.
    pub fn reason(self) -> &'static str {
        match self {
            Undefined::NoSharedArticles => "no article was annotated by all of them",
            Undefined::NoAnnotations => "neither annotator made any",
            Undefined::NoItems => "nothing to rate",
            Undefined::SingleCategory => "every rating is in one category (chance agreement is 1)",
            Undefined::NoPairableValues => "no item has values from two annotators",
        }
    }
}

impl fmt::Display for Undefined {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.reason())
    }
}

/// One agreement figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Figure {
    Value(f64),
    NotAvailable(Undefined),
}

impl Figure {
    pub fn value(self) -> Option<f64> {
        match self {
            Figure::Value(value) => Some(value),
            Figure::NotAvailable(_) => None,
        }
    }

    pub fn undefined(self) -> Option<Undefined> {
        match self {
            Figure::Value(_) => None,
            Figure::NotAvailable(why) => Some(why),
        }
    }

    /// Three decimals, or "n/a".
    pub fn short(self) -> String {
        match self {
            Figure::Value(value) => format!("{value:.3}"),
            Figure::NotAvailable(_) => "n/a".to_string(),
        }
    }

    /// Three decimals, or "n/a (reason)".
    pub fn long(self) -> String {
        match self {
            Figure::Value(value) => format!("{value:.3}"),
            Figure::NotAvailable(why) => format!("n/a ({})", why.reason()),
        }
    }
}

/// What makes two spans the same annotation for agreement: article, label and offsets.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpanKey {
    pub article: ArticleId,
    pub label: LabelId,
    pub start: usize,
    pub end: usize,
}

impl SpanKey {
    pub fn of(span: &Span) -> SpanKey {
        SpanKey { article: span.article.clone(), label: span.label.clone(), start: span.start, end: span.end }
    }
}

/// The spans of every author except gold, in reading order, by author name.
pub fn layers(project: &Project) -> BTreeMap<String, Vec<Rc<Span>>> {
    let mut layers: BTreeMap<String, Vec<Rc<Span>>> = BTreeMap::new();
    for span in project.spans_in_order() {
        if span.author != GOLD {
            layers.entry(span.author.clone()).or_default().push(span);
        }
    }
    layers
}

/// The articles (in project order) in which every one of `authors` has at least one span.
pub fn shared_articles(
    project: &Project,
    layers: &BTreeMap<String, Vec<Rc<Span>>>,
    authors: &[&str],
) -> Vec<ArticleId> {
    let annotated: Vec<BTreeSet<&ArticleId>> = authors
        .iter()
        .map(|author| {
            layers.get(*author).map(|spans| spans.iter().map(|span| &span.article).collect()).unwrap_or_default()
        })
        .collect();
    project
        .articles()
        .iter()
        .filter(|article| annotated.iter().all(|set| set.contains(&article.id)))
        .map(|article| article.id.clone())
        .collect()
}
