//! Numeric candidates: numbers about the same kind of thing in different articles that agree
//! (the same statement) or cannot both be true (a contradiction).

use std::collections::{BTreeMap, HashMap};

use crate::domain::suggest::numbers::{Bound, Quantity, QuantityKind};
use crate::domain::suggest::SuggestionKind;

use super::terms::{cosine, Vocabulary};
use super::{Candidate, Item, MAX_CONTRADICTION_RATIO, NUMERIC_CONTEXT_THRESHOLD};

pub(super) fn family(quantity: &Quantity) -> Option<&'static str> {
    if quantity.restricted || quantity.bound == Bound::Vague {
        return None;
    }
    match quantity.kind {
        QuantityKind::Count => Some("count"),
        QuantityKind::Size => Some("size"),
        QuantityKind::Percent => Some("percent"),
        QuantityKind::Money => Some("money"),
        QuantityKind::Duration | QuantityKind::Ordinal if !quantity.unit.is_empty() => Some("time"),
        _ => None,
    }
}

pub(super) fn is_substantive(quantity: &Quantity) -> bool {
    matches!(quantity.kind, QuantityKind::Count | QuantityKind::Percent | QuantityKind::Money | QuantityKind::Size)
        && quantity.bound != Bound::Vague
}

pub(super) fn unit_key(quantity: &Quantity) -> String {
    let unit = quantity.unit_class();
    let unit = if quantity.kind == QuantityKind::Ordinal || quantity.kind == QuantityKind::Duration {
        unit.trim_end_matches('s').to_string()
    } else {
        unit
    };
    format!("{}|{}", family(quantity).unwrap_or(""), unit)
}

pub(super) fn agree(left: &Quantity, right: &Quantity) -> bool {
    let (left_low, left_high) = left.interval();
    let (right_low, right_high) = right.interval();
    let tolerance = 0.01 * left.value.abs().max(right.value.abs());
    left_low <= right_high + tolerance && right_low <= left_high + tolerance
}

/// Whether two numbers state the same value, give or take the rounding their wording allows
/// ("more than 110" and "112" do; "at least 25" and "700" do not).
pub(super) fn same_value(left: &Quantity, right: &Quantity) -> bool {
    let tolerance = if left.bound == Bound::Exact && right.bound == Bound::Exact { 0.01 } else { 0.1 };
    agree(left, right) && (left.value - right.value).abs() <= tolerance * left.value.abs().max(right.value.abs())
}

pub(super) fn far_apart(left: &Quantity, right: &Quantity) -> bool {
    let (low, high) = if left.value <= right.value { (left.value, right.value) } else { (right.value, left.value) };
    low <= 0.0 || high / low > MAX_CONTRADICTION_RATIO
}

/// Two numbers about the same kind of thing that cannot both be true: a number of one item
/// that agrees with no number of the same unit in the other, facing such a number. Extra numbers
/// that one report gives and the other does not are not a contradiction.
pub(super) fn numeric_conflict(left: &Item, right: &Item) -> Option<String> {
    let unmatched = |item: &Item, other: &Item| -> Vec<usize> {
        (0..item.quantities.len())
            .filter(|&index| {
                let quantity = &item.quantities[index];
                family(quantity).is_some()
                    && !other
                        .quantities
                        .iter()
                        .any(|candidate| unit_key(candidate) == unit_key(quantity) && agree(quantity, candidate))
            })
            .collect()
    };
    let (left_open, right_open) = (unmatched(left, right), unmatched(right, left));
    for &one in &left_open {
        let quantity = &left.quantities[one];
        for &two in &right_open {
            let other = &right.quantities[two];
            if unit_key(quantity) == unit_key(other) && !far_apart(quantity, other) {
                return Some(describe_pair(left, quantity, right, other));
            }
        }
    }
    None
}

fn describe_pair(left: &Item, one: &Quantity, right: &Item, other: &Quantity) -> String {
    let quote = |item: &Item, quantity: &Quantity| {
        let text = item.end_point.text();
        let chars: Vec<char> = text.chars().collect();
        let (start, end) = (quantity.start.saturating_sub(item.start), quantity.end.saturating_sub(item.start));
        chars.get(start..end.min(chars.len())).map(|slice| slice.iter().collect::<String>()).unwrap_or_default()
    };
    format!("'{}' vs '{}'", quote(left, one), quote(right, other))
}

pub(super) fn numeric_candidates(vocabulary: &Vocabulary, items: &[Item]) -> Vec<Candidate> {
    // (unit key, order of magnitude) → (item, quantity) for the claims' numbers.
    let mut index: HashMap<(String, i32), Vec<(usize, usize)>> = HashMap::new();
    let magnitude = |quantity: &Quantity| quantity.value.abs().max(1e-9).log10().floor() as i32;
    for (item_index, item) in items.iter().enumerate() {
        if item.is_quote {
            continue;
        }
        for (quantity_index, quantity) in item.quantities.iter().enumerate() {
            if family(quantity).is_some() {
                index.entry((unit_key(quantity), magnitude(quantity))).or_default().push((item_index, quantity_index));
            }
        }
    }
    let mut candidates = Vec::new();
    for (left, item) in items.iter().enumerate() {
        if item.is_quote {
            continue;
        }
        for quantity in &item.quantities {
            if family(quantity).is_none() {
                continue;
            }
            let key = unit_key(quantity);
            let exponent = magnitude(quantity);
            // The best counterpart in each other article: most alike context, agreeing on ties.
            let mut best: BTreeMap<usize, (f32, bool, usize, usize)> = BTreeMap::new();
            for shift in -1..=1 {
                for &(right, other_index) in
                    index.get(&(key.clone(), exponent + shift)).map(Vec::as_slice).unwrap_or(&[])
                {
                    let other_item = &items[right];
                    if other_item.article == item.article {
                        continue;
                    }
                    let other = &other_item.quantities[other_index];
                    let likeness = cosine(
                        vocabulary,
                        (&item.context_terms, item.context_norm),
                        (&other_item.context_terms, other_item.context_norm),
                    );
                    let agrees = agree(quantity, other);
                    let entry = best.entry(other_item.article).or_insert((-1.0, false, right, other_index));
                    let better =
                        likeness > entry.0 + 1e-4 || ((likeness - entry.0).abs() <= 1e-4 && agrees && !entry.1);
                    if better {
                        *entry = (likeness, agrees, right, other_index);
                    }
                }
            }
            for (_, (likeness, agrees, right, other_index)) in best {
                if likeness < NUMERIC_CONTEXT_THRESHOLD {
                    continue;
                }
                let other_item = &items[right];
                let other = &other_item.quantities[other_index];
                if agrees {
                    if is_substantive(quantity) && same_value(quantity, other) {
                        let score = (0.5 + likeness / 2.0).min(0.99);
                        candidates.push(Candidate {
                            kind: SuggestionKind::SameStatement,
                            left,
                            right,
                            score,
                            reason: format!(
                                "the same number about the same thing: {} (context similarity {likeness:.2})",
                                describe_pair(item, quantity, other_item, other)
                            ),
                        });
                    }
                } else if !far_apart(quantity, other) && numeric_conflict(item, other_item).is_some() {
                    candidates.push(Candidate {
                        kind: SuggestionKind::NumericContradiction,
                        left,
                        right,
                        score: (0.5 + likeness / 2.0).min(0.99),
                        reason: format!(
                            "numbers disagree: {} (context similarity {likeness:.2})",
                            describe_pair(item, quantity, other_item, other)
                        ),
                    });
                }
            }
        }
    }
    candidates
}
