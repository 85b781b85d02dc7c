//! Agreement figures on small layers computed by hand (see each test's arithmetic).
//!
//! The article "abcd efgh ijkl" has 14 code points, 12 of them not whitespace: `abcd` is 0..4,
//! `efgh` 5..9, `ijkl` 10..14.

use crosscheck::domain::agreement::measures::{krippendorff_alpha_nominal, BinaryTable, VoteHistogram};
use crosscheck::domain::agreement::{agreement_report, Figure, Undefined, GOLD};
use crosscheck::domain::annotation::SpanId;
use crosscheck::domain::project::Project;

mod common;

const TEXT: &str = "abcd efgh ijkl";
const OTHER: &str = "mnop qrst uvwx";

struct Builder {
    project: Project,
    next: usize,
}

impl Builder {
    fn new(texts: &[&str]) -> Builder {
        Builder { project: common::project_of(texts), next: 0 }
    }

    fn span(
        &mut self,
        author: &str,
        article: usize,
        range: (usize, usize),
        label: &str,
        attributes: &[(&str, &str)],
    ) -> SpanId {
        self.next += 1;
        common::add_span(&mut self.project, &format!("s{}", self.next), author, article, range, label, attributes)
    }

    fn link(&mut self, author: &str, relation_type: &str, from: &SpanId, to: &SpanId) {
        self.next += 1;
        common::add_link(&mut self.project, &format!("r{}", self.next), author, relation_type, from, to, "");
    }
}

fn close(figure: Figure, expected: f64) {
    match figure {
        Figure::Value(value) => assert!((value - expected).abs() < 1e-12, "{value} != {expected}"),
        Figure::NotAvailable(why) => panic!("expected {expected}, got n/a ({why})"),
    }
}

#[test]
fn identical_layers_agree_fully() {
    let mut built = Builder::new(&[TEXT]);
    for author in ["ann", "bob"] {
        built.span(author, 0, (0, 4), "claim", &[]);
        built.span(author, 0, (5, 9), "claim", &[]);
    }
    let report = agreement_report(&built.project);
    assert_eq!(report.annotators, ["ann", "bob"]);
    let claim = report.pair("ann", "bob").and_then(|pair| pair.label("claim")).expect("claim figures");
    close(claim.exact_f1, 1.0);
    close(claim.overlap_f1, 1.0);
    assert_eq!(claim.kappa_table, BinaryTable { both: 8, only_a: 0, only_b: 0, neither: 4 });
    close(claim.kappa, 1.0);
}

#[test]
fn disjoint_layers() {
    let mut built = Builder::new(&[TEXT]);
    built.span("ann", 0, (0, 4), "claim", &[]);
    built.span("bob", 0, (10, 14), "claim", &[]);
    let report = agreement_report(&built.project);
    let claim = report.pairs[0].label("claim").expect("claim");
    close(claim.exact_f1, 0.0);
    close(claim.overlap_f1, 0.0);
    // p_o = 4/12, p_e = 1/3·1/3 + 2/3·2/3 = 5/9, κ = (1/3 − 5/9) / (4/9) = −1/2.
    close(claim.kappa, -0.5);
}

#[test]
fn nested_and_overlapping_spans_match_greedily_with_earlier_start_first() {
    let mut built = Builder::new(&[TEXT]);
    built.span("ann", 0, (0, 9), "claim", &[]);
    built.span("ann", 0, (5, 7), "claim", &[]);
    built.span("bob", 0, (0, 4), "claim", &[]);
    built.span("bob", 0, (5, 14), "claim", &[]);
    let claim = agreement_report(&built.project).pairs[0].label("claim").cloned().expect("claim");
    close(claim.exact_f1, 0.0);
    // 0..9 overlaps both of bob's spans by 4; the tie goes to 0..4 (earlier start), which leaves
    // 5..14 for 5..7: two matches, F1 = 2·2/4. Taking 5..14 first would leave one match.
    assert_eq!(claim.overlap.matches, 2);
    close(claim.overlap_f1, 1.0);
    // Inside for ann: abcd efgh (8); bob: abcd efgh ijkl (12). Both 8, only bob 4: p_o = 8/12,
    // p_e = 8/12·1 + 0 = 8/12, κ = 0.
    assert_eq!(claim.kappa_table, BinaryTable { both: 8, only_a: 0, only_b: 4, neither: 0 });
    close(claim.kappa, 0.0);
}

#[test]
fn one_empty_layer_compares_only_the_articles_both_annotated() {
    let mut built = Builder::new(&[TEXT, OTHER]);
    built.span("ann", 0, (0, 4), "claim", &[]);
    built.span("ann", 1, (0, 4), "claim", &[]);
    built.span("bob", 0, (0, 4), "claim", &[]);
    let pair = agreement_report(&built.project).pairs[0].clone();
    assert_eq!(pair.articles, [built.project.articles()[0].id.clone()]);
    close(pair.label("claim").expect("claim").exact_f1, 1.0);
    let quote = pair.label("quote").expect("quote");
    assert_eq!(quote.exact_f1, Figure::NotAvailable(Undefined::NoAnnotations));
    assert_eq!(quote.kappa, Figure::NotAvailable(Undefined::SingleCategory));

    // A layer with no span in any article the other annotated shares no article at all.
    let mut built = Builder::new(&[TEXT, OTHER]);
    built.span("ann", 0, (0, 4), "claim", &[]);
    built.span("bob", 1, (0, 4), "claim", &[]);
    let pair = agreement_report(&built.project).pairs[0].clone();
    assert!(pair.articles.is_empty());
    assert_eq!(pair.label("claim").expect("claim").kappa, Figure::NotAvailable(Undefined::NoSharedArticles));
}

#[test]
fn one_annotator_has_nobody_to_agree_with_and_gold_is_not_an_annotator() {
    let mut built = Builder::new(&[TEXT]);
    built.span("ann", 0, (0, 4), "claim", &[]);
    built.span(GOLD, 0, (0, 4), "claim", &[]);
    let report = agreement_report(&built.project);
    assert_eq!(report.annotators, ["ann"]);
    assert!(report.pairs.is_empty());
    assert!(report.group.is_none());
}

#[test]
fn attribute_disagreement_gives_krippendorff_alpha_with_missing_values() {
    let mut built = Builder::new(&[TEXT]);
    let verdicts = [("accurate", "accurate"), ("accurate", "inaccurate"), ("inaccurate", "inaccurate")];
    let worthy = [("yes", "yes"), ("yes", "no"), ("", "no")];
    for (index, range) in [(0, 4), (5, 9), (10, 14)].into_iter().enumerate() {
        let (ann_verdict, bob_verdict) = verdicts[index];
        let (ann_worthy, bob_worthy) = worthy[index];
        built.span(
            "ann",
            0,
            range,
            "claim",
            &[("verdict", ann_verdict), ("check_worthy", ann_worthy), ("kind", "factual")],
        );
        built.span(
            "bob",
            0,
            range,
            "claim",
            &[("verdict", bob_verdict), ("check_worthy", bob_worthy), ("kind", "factual")],
        );
    }
    let pair = agreement_report(&built.project).pairs[0].clone();
    let alpha = |key: &str| pair.attributes.iter().find(|figure| figure.attribute == key).expect(key).clone();
    // Verdict: n = 6, Σo_cc = 4, n_acc = n_inacc = 3: α = 1 − 5·2/(36 − 18) = 4/9.
    close(alpha("verdict").alpha, 4.0 / 9.0);
    assert_eq!(alpha("verdict").counts.units, 3);
    // Check-worthy: the third unit has one value only: n = 4, Σo_cc = 2, n_yes = 3, n_no = 1:
    // α = 1 − 3·2/(16 − 10) = 0.
    close(alpha("check_worthy").alpha, 0.0);
    assert_eq!(alpha("check_worthy").counts.pairable_values, 4);
    assert_eq!(alpha("kind").alpha, Figure::NotAvailable(Undefined::SingleCategory));
    assert_eq!(
        pair.attributes.iter().find(|figure| figure.attribute == "form").map(|figure| figure.alpha),
        Some(Figure::NotAvailable(Undefined::NoItems))
    );
}

#[test]
fn links_across_articles_match_by_their_ends_and_symmetry() {
    let mut built = Builder::new(&[TEXT, OTHER]);
    let mut ends = Vec::new();
    for author in ["ann", "bob"] {
        let left = built.span(author, 0, (0, 4), "claim", &[]);
        let right = built.span(author, 1, (0, 4), "claim", &[]);
        ends.push((left, right));
    }
    let ((ann_left, ann_right), (bob_left, bob_right)) = (ends[0].clone(), ends[1].clone());
    built.link("ann", "contradicts", &ann_left, &ann_right);
    built.link("bob", "contradicts", &bob_right, &bob_left);
    built.link("ann", "attributed-to", &ann_left, &ann_right);
    built.link("bob", "attributed-to", &bob_right, &bob_left);
    built.link("bob", "supports", &bob_left, &bob_right);
    let pair = agreement_report(&built.project).pairs[0].clone();
    let link = |kind: &str| pair.links.iter().find(|figure| figure.relation_type == kind).expect(kind).clone();
    close(link("contradicts").f1, 1.0);
    close(link("attributed-to").f1, 0.0);
    assert_eq!((link("supports").counts.a, link("supports").counts.b), (0, 1));
    close(link("supports").f1, 0.0);
    assert_eq!(link("same-statement").f1, Figure::NotAvailable(Undefined::NoAnnotations));
}

#[test]
fn three_annotators_give_fleiss_kappa() {
    let mut built = Builder::new(&[TEXT]);
    built.span("ann", 0, (0, 4), "claim", &[("verdict", "accurate")]);
    built.span("bob", 0, (0, 4), "claim", &[("verdict", "accurate")]);
    built.span("cyd", 0, (0, 9), "claim", &[]);
    let group = agreement_report(&built.project).group.expect("three annotators");
    let claim = group.labels.iter().find(|figure| figure.label == "claim").expect("claim");
    // abcd: 3 votes (4 items), efgh: 1 vote (4), ijkl: 0 (4). p_in = 16/36, p_e = 41/81,
    // P̄ = (4·1 + 4·1/3 + 4·1)/12 = 7/9, κ = (7/9 − 41/81)/(40/81) = 22/40.
    assert_eq!(claim.votes.items_with_votes, [4, 4, 0, 4]);
    close(claim.kappa, 0.55);
    // cyd's span differs, so no span is marked identically by all three.
    let verdict = group.attributes.iter().find(|figure| figure.attribute == "verdict").expect("verdict");
    assert_eq!(verdict.alpha, Figure::NotAvailable(Undefined::NoItems));
}

#[test]
fn undefined_figures_are_never_nan_or_one() {
    assert_eq!(BinaryTable::default().cohen_kappa(), Figure::NotAvailable(Undefined::NoItems));
    let all_inside = BinaryTable { both: 5, ..BinaryTable::default() };
    assert_eq!(all_inside.cohen_kappa(), Figure::NotAvailable(Undefined::SingleCategory));
    assert_eq!(VoteHistogram::new(3).fleiss_kappa(), Figure::NotAvailable(Undefined::NoItems));
    let (_, alpha) = krippendorff_alpha_nominal(&[vec![Some("x".into()), None]]);
    assert_eq!(alpha, Figure::NotAvailable(Undefined::NoPairableValues));
    let (_, alpha) = krippendorff_alpha_nominal(&[vec![Some("x".into()), Some("x".into())]]);
    assert_eq!(alpha, Figure::NotAvailable(Undefined::SingleCategory));
}
