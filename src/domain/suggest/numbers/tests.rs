//! Tests of reading quantities and proposing numeric claims.

use super::*;

fn quantities(text: &str) -> Vec<(f64, Bound, QuantityKind, String)> {
    let chars: Vec<char> = text.chars().collect();
    let tokens = tokens::tokenize(&chars, 0, chars.len(), &[]);
    find_quantities(&tokens)
        .into_iter()
        .map(|quantity| (quantity.value, quantity.bound, quantity.kind, quantity.unit))
        .collect()
}

fn claims(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    find_numeric_claims(&chars, &[(0, chars.len())])
        .into_iter()
        .map(|claim| chars[claim.start..claim.end].iter().collect())
        .collect()
}

#[test]
fn digits_words_multipliers_and_qualifiers() {
    assert_eq!(
        quantities("about 1.4 million people"),
        [(1.4e6, Bound::About, QuantityKind::Count, "people".to_string())]
    );
    assert_eq!(
        quantities("roughly 1 million Palestinians who fled"),
        [(1e6, Bound::About, QuantityKind::Count, "people".to_string())]
    );
    assert_eq!(quantities("the other 14 members voted yes")[0].3, "member");
    assert_eq!(
        quantities("at least 25 of those prisoners")[0],
        (25.0, Bound::AtLeast, QuantityKind::Count, "prisoner".to_string())
    );
    assert_eq!(quantities("forty-one years")[0], (41.0, Bound::Exact, QuantityKind::Duration, "year".to_string()));
    assert_eq!(quantities("costing an estimated $45 million a day")[0].0, 45e6);
    assert_eq!(quantities("costing an estimated $45 million a day")[0].2, QuantityKind::Money);
    assert_eq!(
        quantities("fell to 81 percent, from 93% in 2019").iter().map(|q| q.2).collect::<Vec<_>>(),
        [QuantityKind::Percent, QuantityKind::Percent, QuantityKind::Year]
    );
    assert_eq!(quantities("the hundreds of Israeli hostages")[0].1, Bound::Vague);
    assert_eq!(
        quantities("approaches its sixth month")[0],
        (6.0, Bound::Exact, QuantityKind::Ordinal, "month".to_string())
    );
    assert_eq!(quantities("the 15-member Security Council")[0].2, QuantityKind::Size);
    assert_eq!(quantities("spending a third of the budget")[0].2, QuantityKind::Fraction);
}

#[test]
fn pronouns_references_and_times_are_not_quantities() {
    assert!(quantities("One US official told CNN").is_empty());
    assert!(quantities("talks between the two governments").is_empty());
    assert!(quantities("A second reporter pressed her").is_empty());
    assert_eq!(quantities("As of 8 a.m. we had cases")[0].2, QuantityKind::Time);
    assert_eq!(quantities("at two in the morning")[0].2, QuantityKind::Time);
}

#[test]
fn claims_skip_bylines_timestamps_and_links() {
    assert!(claims("Updated: March 26, 2024, 12:35 AM").is_empty());
    assert!(claims("— Prime Minister of Israel (@IsraeliPM) March 25, 2024").is_empty());
    assert!(claims("Watch it here https://t.co/VM6VCY4x3i and there pic.twitter.com/G6cPP").is_empty());
    assert_eq!(
        claims("The city is home to roughly 1 million people. It is calm."),
        ["The city is home to roughly 1 million people."]
    );
    assert_eq!(
        claims("Port strike halts shipping at Valmont for third day"),
        ["Port strike halts shipping at Valmont for third day"]
    );
}
