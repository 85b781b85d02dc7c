//! The agreement formulas, on plain counts and span lists.
//!
//! - **Span F1** (exact or overlapping): `2 · matches / (spans of A + spans of B)`. Exact matches
//!   pair equal [`SpanKey`]s one to one; overlap matches pair spans of the same article and
//!   label that share a code point, one to one, greedily by decreasing overlap length, ties
//!   broken by the earlier start of A's span, then of B's span, then list order.
//! - **Cohen's κ** on a 2×2 table of code points (inside a span of the label or not, for each of
//!   two annotators): `(p_o − p_e) / (1 − p_e)`, as scikit-learn's `cohen_kappa_score`.
//! - **Fleiss' κ** on a histogram of how many annotators put each code point inside, as
//!   statsmodels' `fleiss_kappa`.
//! - **Krippendorff's α (nominal)** over units holding one optional value per annotator, as the
//!   `krippendorff` package: `1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k`, counting only
//!   units with at least two values.

use std::collections::BTreeMap;

use crate::domain::agreement::{Figure, SpanKey, Undefined};
use crate::domain::annotation::Span;
use crate::domain::article::Article;

/// Matches and sizes of two span (or link) lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct F1Counts {
    pub matches: usize,
    pub a: usize,
    pub b: usize,
}

impl F1Counts {
    pub fn figure(self) -> Figure {
        if self.a + self.b == 0 {
            Figure::NotAvailable(Undefined::NoAnnotations)
        } else {
            Figure::Value(2.0 * self.matches as f64 / (self.a + self.b) as f64)
        }
    }
}

/// One-to-one matches between two multisets of keys (`Σ min(count in A, count in B)`).
pub fn multiset_matches<K: Ord>(a: impl IntoIterator<Item = K>, b: impl IntoIterator<Item = K>) -> F1Counts {
    let mut counts: BTreeMap<K, (usize, usize)> = BTreeMap::new();
    let (mut a_total, mut b_total) = (0, 0);
    for key in a {
        counts.entry(key).or_default().0 += 1;
        a_total += 1;
    }
    for key in b {
        counts.entry(key).or_default().1 += 1;
        b_total += 1;
    }
    let matches = counts.values().map(|(in_a, in_b)| (*in_a).min(*in_b)).sum();
    F1Counts { matches, a: a_total, b: b_total }
}

/// Exact span matches: same article, label, start and end.
pub fn exact_span_counts(a: &[&Span], b: &[&Span]) -> F1Counts {
    multiset_matches(a.iter().map(|span| SpanKey::of(span)), b.iter().map(|span| SpanKey::of(span)))
}

/// The pairs `(index in a, index in b)` matched by overlap (see the module docs).
pub fn overlap_pairs(a: &[&Span], b: &[&Span]) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
    for (i, left) in a.iter().enumerate() {
        for (j, right) in b.iter().enumerate() {
            if left.article == right.article && left.label == right.label {
                let overlap = left.end.min(right.end).saturating_sub(left.start.max(right.start));
                if overlap > 0 {
                    candidates.push((overlap, left.start, right.start, i, j));
                }
            }
        }
    }
    crate::domain::sorting::sort_by(&mut candidates, |x, y| {
        y.0.cmp(&x.0).then((x.1, x.2, x.3, x.4).cmp(&(y.1, y.2, y.3, y.4)))
    });
    let mut used_a = vec![false; a.len()];
    let mut used_b = vec![false; b.len()];
    let mut pairs = Vec::new();
    for (_, _, _, i, j) in candidates {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            pairs.push((i, j));
        }
    }
    pairs
}

pub fn overlap_span_counts(a: &[&Span], b: &[&Span]) -> F1Counts {
    F1Counts { matches: overlap_pairs(a, b).len(), a: a.len(), b: b.len() }
}

/// The non-whitespace code points of an article: the items of the code-point κ.
pub fn rated_code_points(article: &Article) -> Vec<bool> {
    article.text.chars().map(|character| !character.is_whitespace()).collect()
}

/// For each code point of an article of `length` code points, whether one of `spans` covers it.
pub fn inside(length: usize, spans: &[&Span]) -> Vec<bool> {
    let mut marks = vec![false; length];
    for span in spans {
        for mark in marks.iter_mut().take(span.end.min(length)).skip(span.start) {
            *mark = true;
        }
    }
    marks
}

/// Two annotators' binary ratings of the same items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BinaryTable {
    pub both: u64,
    pub only_a: u64,
    pub only_b: u64,
    pub neither: u64,
}

impl BinaryTable {
    /// Adds the rated items (`rated[i]`) of one article.
    pub fn add(&mut self, rated: &[bool], a: &[bool], b: &[bool]) {
        for ((rated, a), b) in rated.iter().zip(a).zip(b) {
            if *rated {
                match (a, b) {
                    (true, true) => self.both += 1,
                    (true, false) => self.only_a += 1,
                    (false, true) => self.only_b += 1,
                    (false, false) => self.neither += 1,
                }
            }
        }
    }

    pub fn items(&self) -> u64 {
        self.both + self.only_a + self.only_b + self.neither
    }

    pub fn cohen_kappa(&self) -> Figure {
        let items = self.items();
        if items == 0 {
            return Figure::NotAvailable(Undefined::NoItems);
        }
        let a_inside = self.both + self.only_a;
        let b_inside = self.both + self.only_b;
        if (a_inside == 0 && b_inside == 0) || (a_inside == items && b_inside == items) {
            return Figure::NotAvailable(Undefined::SingleCategory);
        }
        let n = items as f64;
        let observed = (self.both + self.neither) as f64 / n;
        let (a_in, b_in) = (a_inside as f64 / n, b_inside as f64 / n);
        let expected = a_in * b_in + (1.0 - a_in) * (1.0 - b_in);
        Figure::Value((observed - expected) / (1.0 - expected))
    }
}

/// How many items got `k` "inside" votes from `raters` annotators, for each `k` in `0..=raters`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteHistogram {
    pub raters: usize,
    pub items_with_votes: Vec<u64>,
}

impl VoteHistogram {
    pub fn new(raters: usize) -> VoteHistogram {
        VoteHistogram { raters, items_with_votes: vec![0; raters + 1] }
    }

    /// Adds the rated items of one article; `marks[r][i]`: annotator `r` put item `i` inside.
    pub fn add(&mut self, rated: &[bool], marks: &[Vec<bool>]) {
        for (index, rated) in rated.iter().enumerate() {
            if *rated {
                let votes = marks.iter().filter(|marks| marks.get(index).copied().unwrap_or(false)).count();
                self.items_with_votes[votes.min(self.raters)] += 1;
            }
        }
    }

    pub fn items(&self) -> u64 {
        self.items_with_votes.iter().sum()
    }

    pub fn inside_votes(&self) -> u64 {
        self.items_with_votes.iter().enumerate().map(|(votes, items)| votes as u64 * items).sum()
    }

    pub fn fleiss_kappa(&self) -> Figure {
        let items = self.items();
        if items == 0 || self.raters < 2 {
            return Figure::NotAvailable(Undefined::NoItems);
        }
        let inside = self.inside_votes();
        let votes = items * self.raters as u64;
        if inside == 0 || inside == votes {
            return Figure::NotAvailable(Undefined::SingleCategory);
        }
        let raters = self.raters as f64;
        let p_inside = inside as f64 / votes as f64;
        let expected = p_inside * p_inside + (1.0 - p_inside) * (1.0 - p_inside);
        let agreement_sum: f64 = self
            .items_with_votes
            .iter()
            .enumerate()
            .map(|(k, count)| {
                let (k, rest) = (k as f64, raters - k as f64);
                *count as f64 * (k * k + rest * rest - raters) / (raters * (raters - 1.0))
            })
            .sum();
        let observed = agreement_sum / items as f64;
        Figure::Value((observed - expected) / (1.0 - expected))
    }
}

/// Counts behind an α: units offered, and values in units with at least two values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AlphaCounts {
    pub units: usize,
    pub pairable_values: usize,
}

/// Krippendorff's α for nominal data; `units[u][r]` is annotator `r`'s value for unit `u`.
pub fn krippendorff_alpha_nominal(units: &[Vec<Option<String>>]) -> (AlphaCounts, Figure) {
    let mut category_totals: BTreeMap<&str, f64> = BTreeMap::new();
    let mut same_coincidences = 0.0;
    let mut pairable_values = 0usize;
    for unit in units {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for value in unit.iter().flatten() {
            *counts.entry(value.as_str()).or_default() += 1;
        }
        let values: usize = counts.values().sum();
        if values < 2 {
            continue;
        }
        pairable_values += values;
        for (value, count) in counts {
            *category_totals.entry(value).or_default() += count as f64;
            same_coincidences += (count * (count - 1)) as f64 / (values - 1) as f64;
        }
    }
    let counts = AlphaCounts { units: units.len(), pairable_values };
    if pairable_values == 0 {
        return (counts, Figure::NotAvailable(Undefined::NoPairableValues));
    }
    if category_totals.len() < 2 {
        return (counts, Figure::NotAvailable(Undefined::SingleCategory));
    }
    let n = pairable_values as f64;
    let expected_pairs = n * n - category_totals.values().map(|total| total * total).sum::<f64>();
    let observed_disagreement = n - same_coincidences;
    (counts, Figure::Value(1.0 - (n - 1.0) * observed_disagreement / expected_pairs))
}
