#![cfg(not(target_arch = "wasm32"))]
//! Every [`Edit`] undone by the inverse `Project::apply` returns: applying an edit and then its
//! inverse gives back the project (everything a person sees; tombstones are sync bookkeeping and
//! may remember the round trip), and an edit that fails — a `Batch` whose last step is refused
//! included — leaves the project exactly as it was, tombstones and all.
//!
//! Edits are built from random recipes against the current project, so they are a mix of valid
//! and invalid ones; [`variant`] names every variant without a wildcard and
//! `the_recipes_make_every_variant` checks that the generator reaches each one.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

mod common;

use crosscheck::domain::annotation::{RelationId, SpanId};
use crosscheck::domain::article::{Article, ArticleDetails, ArticleDetailsChange, ArticleId};
use crosscheck::domain::article_metadata::ArticleMetadata;
use crosscheck::domain::ids::SuggestionKey;
use crosscheck::domain::project::{new_relation, new_span, Edit, Project, Settings};

const NOW: i64 = 1_700_000_000_000;
const TEXTS: [&str; 3] = [
    "The UN said 1.4 million people 🇺🇸 are sheltering in Rafah.",
    "About 1 million people are in Rafah, officials said on Monday.",
    "Kirby called the resolution non-binding; others said it binds.",
];

/// One step of a recipe: which kind of edit, and three numbers that pick what it touches.
type Step = (u8, u16, u16, u16);

fn variant(edit: &Edit) -> &'static str {
    match edit {
        Edit::AddSpan(_) => "AddSpan",
        Edit::RemoveSpan(_) => "RemoveSpan",
        Edit::UpdateSpan(_) => "UpdateSpan",
        Edit::AddRelation(_) => "AddRelation",
        Edit::RemoveRelation(_) => "RemoveRelation",
        Edit::UpdateRelation(_) => "UpdateRelation",
        Edit::InsertArticle { .. } => "InsertArticle",
        Edit::RemoveArticle(_) => "RemoveArticle",
        Edit::UpdateArticleMeta { .. } => "UpdateArticleMeta",
        Edit::SetArticleDetails(_) => "SetArticleDetails",
        Edit::SetLabels(_) => "SetLabels",
        Edit::SetRelationTypes(_) => "SetRelationTypes",
        Edit::SetSettings(_) => "SetSettings",
        Edit::RejectSuggestion(_) => "RejectSuggestion",
        Edit::UnrejectSuggestion(_) => "UnrejectSuggestion",
        Edit::Batch(_) => "Batch",
    }
}

const VARIANTS: usize = 16;

fn pick<T: Clone>(items: &[T], index: u16) -> Option<T> {
    (!items.is_empty()).then(|| items[index as usize % items.len()].clone())
}

/// A fresh id unless `reuse` picks an existing one (so duplicates are tried too).
fn span_id(project: &Project, number: u16, reuse: bool) -> SpanId {
    let existing: Vec<SpanId> = project.spans().keys().cloned().collect();
    match pick(&existing, number) {
        Some(id) if reuse => id,
        _ => SpanId::from(format!("s{number}")),
    }
}

fn edit_from(project: &Project, (kind, a, b, c): Step) -> Option<Edit> {
    let articles = project.articles().to_vec();
    let spans: Vec<_> = project.spans().values().cloned().collect();
    let relations: Vec<_> = project.relations().values().cloned().collect();
    let labels = project.labels().to_vec();
    let relation_types = project.relation_types().to_vec();
    let reuse = c % 5 == 0;
    Some(match kind % 16 {
        0 => {
            let article = pick(&articles, a)?;
            let length = article.text.chars().count();
            let start = b as usize % length;
            let end = (start + 1 + c as usize % 12).min(length);
            let label = pick(&labels, c)?.id;
            Edit::AddSpan(new_span(project, span_id(project, a ^ b, reuse), &article, start, end, &label, NOW)?)
        }
        1 => Edit::RemoveSpan(if reuse { SpanId::from("missing") } else { pick(&spans, a)?.id.clone() }),
        2 => {
            let mut span = pick(&spans, a)?.as_ref().clone();
            span.attributes.insert("note".to_string(), format!("note {b}"));
            if reuse {
                span.end = span.start; // offsets may not change: refused
            }
            Edit::UpdateSpan(span)
        }
        3 => {
            let (from, to) = (pick(&spans, a)?, pick(&spans, b)?);
            let id = if reuse {
                pick(&relations, c).map_or(RelationId::from("r0"), |r| r.id.clone())
            } else {
                RelationId::from(format!("r{a}-{b}-{c}"))
            };
            Edit::AddRelation(new_relation(
                project,
                id,
                &pick(&relation_types, c)?.id,
                from.id.clone(),
                to.id.clone(),
                NOW,
            ))
        }
        4 => Edit::RemoveRelation(if reuse { RelationId::from("missing") } else { pick(&relations, a)?.id.clone() }),
        5 => {
            let mut relation = pick(&relations, a)?.as_ref().clone();
            relation.note = format!("note {b}");
            relation.kind = (b % 2 == 0).then(|| "numeric".to_string());
            Edit::UpdateRelation(relation)
        }
        6 => {
            let article = if reuse {
                pick(&articles, a)?.as_ref().clone()
            } else {
                Article::new(&format!("Article {a} about Rafah."), "", "x.txt")
            };
            Edit::InsertArticle { position: b as usize, article }
        }
        7 => Edit::RemoveArticle(if reuse { ArticleId::from("missing") } else { pick(&articles, a)?.id.clone() }),
        8 => Edit::UpdateArticleMeta {
            id: pick(&articles, a)?.id.clone(),
            title: format!("Title {b}"),
            source: format!("source {c}"),
        },
        9 => {
            let mut labels = labels;
            let turn = b as usize % labels.len().max(1);
            labels.rotate_left(turn);
            if reuse {
                labels.truncate(1); // labels still in use may not go: refused when used
            }
            Edit::SetLabels(labels)
        }
        10 => {
            let mut relation_types = relation_types;
            relation_types.reverse();
            if reuse {
                relation_types.truncate(1);
            }
            Edit::SetRelationTypes(relation_types)
        }
        11 => Edit::SetSettings(Settings { annotator: format!("annotator {a}"), ..project.settings().clone() }),
        12 => Edit::RejectSuggestion(SuggestionKey::from(format!("same-statement:s{}:s{}", a % 4, b % 4))),
        13 => Edit::UnrejectSuggestion(SuggestionKey::from(format!("same-statement:s{}:s{}", a % 4, b % 4))),
        14 => {
            let article = pick(&articles, a)?;
            let metadata = ArticleMetadata {
                authors: vec![format!("Reporter {b}")],
                site_name: format!("Site {c}"),
                ..ArticleMetadata::default()
            };
            Edit::SetArticleDetails(ArticleDetailsChange {
                id: article.id.clone(),
                details: ArticleDetails {
                    title: format!("Headline {b}"),
                    source: article.source.clone(),
                    url: format!("https://news.example/{c}"),
                    published: "2024-03-25".to_string(),
                    metadata,
                },
            })
        }
        _ => {
            // Two or three steps as one; the last one may be refused, and then none applies.
            let mut preview = project.clone();
            let mut edits = Vec::new();
            for step in
                [(a as u8, b, c, a), (b as u8, c, a, b), (c as u8, a, b, c)].into_iter().take(2 + a as usize % 2)
            {
                if step.0 % 16 == 15 {
                    continue;
                }
                let Some(edit) = edit_from(&preview, step) else { continue };
                let _applied_or_refused = preview.apply(edit.clone(), NOW);
                edits.push(edit);
            }
            Edit::Batch(edits)
        }
    })
}

/// A project with spans, links and rejected suggestions, built by applying a recipe.
fn project_from(recipe: &[Step]) -> Project {
    let mut project = Project::with_articles(TEXTS.iter().map(|text| Article::new(text, "", "t.txt")).collect());
    for step in recipe {
        if let Some(edit) = edit_from(&project, *step) {
            let _kept_when_valid = project.apply(edit, NOW);
        }
    }
    project
}

/// What a person sees of a project (tombstones left out).
fn visible(project: &Project) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        project.articles(),
        project.labels(),
        project.relation_types(),
        project.settings(),
        project.spans(),
        project.relations(),
        project.rejected_suggestions(),
    )
}

fn steps(length: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec((any::<u8>(), any::<u16>(), any::<u16>(), any::<u16>()), length)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The article list's counts are kept by each edit, not counted: after any edits they are
    /// what counting the spans gives.
    #[test]
    fn the_kept_span_counts_are_the_counted_ones(recipe in steps(0..40)) {
        let project = project_from(&recipe);
        let mut counted = std::collections::BTreeMap::new();
        for span in project.spans().values() {
            *counted.entry(span.article.clone()).or_insert(0usize) += 1;
        }
        prop_assert_eq!(project.span_counts(), &counted);
    }

    #[test]
    fn an_edit_then_its_inverse_restores_the_project(recipe in steps(0..30), step in (any::<u8>(), any::<u16>(), any::<u16>(), any::<u16>())) {
        let before = project_from(&recipe);
        let Some(edit) = edit_from(&before, step) else { return Ok(()) };
        let mut project = before.clone();
        match project.apply(edit.clone(), NOW) {
            Ok(inverse) => {
                let undo = inverse.clone();
                let redo = project.apply(inverse, NOW);
                prop_assert!(redo.is_ok(), "the inverse of {} applies: {:?}", variant(&edit), redo);
                prop_assert_eq!(visible(&project), visible(&before), "{} then {:?}", variant(&edit), undo);
            }
            Err(_) => prop_assert_eq!(&project, &before, "a refused {} changed the project", variant(&edit)),
        }
    }
}

#[test]
fn the_recipes_make_every_variant() {
    let mut runner = TestRunner::deterministic();
    let mut seen = BTreeSet::new();
    for _ in 0..2_000 {
        let recipe = steps(0..30).new_tree(&mut runner).expect("a recipe").current();
        let project = project_from(&recipe);
        for kind in 0..16u8 {
            if let Some(edit) = edit_from(&project, (kind, recipe.len() as u16, 7, 3)) {
                seen.insert(variant(&edit));
            }
        }
        if seen.len() == VARIANTS {
            return;
        }
    }
    panic!("only {} of {VARIANTS} variants made: {seen:?}", seen.len());
}

#[test]
fn undoing_the_removal_of_an_article_with_a_link_inside_it_brings_both_ends_back_first() {
    let mut project = project_from(&[]);
    let first = project.articles()[0].clone();
    for (id, article) in [("a", 0), ("b", 0), ("c", 1)] {
        common::tag(&mut project, id, article, (0, 3), "claim", NOW);
    }
    for (id, from, to) in [("r1", "a", "c"), ("r2", "a", "b")] {
        common::link(&mut project, id, "contradicts", from, to, NOW);
    }
    let before = project.clone();
    let inverse = project.apply(Edit::RemoveArticle(first.id.clone()), NOW).unwrap();
    assert_eq!(project.articles().len(), 2);
    assert_eq!(project.spans().keys().map(|id| id.as_str()).collect::<Vec<_>>(), ["c"]);
    assert!(project.relations().is_empty(), "a link to the other article goes too");
    project.apply(inverse, NOW).unwrap();
    assert_eq!(visible(&project), visible(&before));
}

#[test]
fn a_batch_whose_last_step_is_refused_changes_nothing() {
    let mut project = project_from(&[]);
    let article = project.articles()[0].clone();
    let span = new_span(&project, SpanId::from("a"), &article, 0, 3, &"claim".into(), NOW).unwrap();
    let link = new_relation(&project, RelationId::from("r"), &"contradicts".into(), "a".into(), "missing".into(), NOW);
    let before = project.clone();
    let refused = project.apply(Edit::Batch(vec![Edit::AddSpan(span), Edit::AddRelation(link)]), NOW);
    assert!(refused.is_err());
    assert_eq!(project, before, "the span of the first step is rolled back, tombstones too");
}

#[test]
fn undoing_a_second_rejection_keeps_the_first() {
    let mut project = project_from(&[]);
    let key = SuggestionKey::from("same-statement:a:b");
    project.apply(Edit::RejectSuggestion(key.clone()), NOW).unwrap();
    let inverse = project.apply(Edit::RejectSuggestion(key.clone()), NOW).unwrap();
    project.apply(inverse, NOW).unwrap();
    assert!(project.rejected_suggestions().contains(&key), "rejected once, still rejected");
}
