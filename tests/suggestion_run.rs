#![cfg(not(target_arch = "wasm32"))]
//! The one suggestion pipeline: a chunked `SuggestionRun` giving what `suggest_all` gives, the
//! still-open rule (`OpenSuggestions`), `accept_all`/`reject_all` as one step, and the reader's
//! pseudo-spans.

use std::collections::BTreeSet;
use std::rc::Rc;

use crosscheck::domain::annotation::SpanId;
use crosscheck::domain::article::Article;
use crosscheck::domain::corpus::default_articles;
use crosscheck::domain::ids::{RelationTypeId, SuggestionKey};
use crosscheck::domain::project::{new_span, Edit, Project};
use crosscheck::domain::schema;
use crosscheck::domain::suggest::{
    accept, accept_all, open_in_article, reject, reject_all, suggest_all, suggested_spans, LinkEnd, OpenSuggestions,
    Suggestion, SuggestionKind, SuggestionRun, SuggestionTarget, PARAGRAPHS_PER_CHUNK,
};

mod common;
use common::suggestions::{attributed_quote, first_of, id_generator, project};

/// A 120-paragraph article: three chunks, with quotes whose speakers recur across them.
fn long_article() -> Article {
    let paragraphs: Vec<String> = default_articles()
        .iter()
        .flat_map(|article| article.text.split('\n').map(str::to_string).collect::<Vec<_>>())
        .filter(|line| !line.trim().is_empty())
        .collect();
    let text: String =
        (0..120).map(|index| format!("Update {index}: {}\n\n", paragraphs[index % paragraphs.len()])).collect();
    Article::new(&text, "", "long.txt")
}

/// Applies `edit` and returns the project after it.
fn applied(mut project: Project, edit: Edit) -> Project {
    project.apply(edit, 1).expect("applies");
    project
}

#[test]
fn a_run_advanced_chunk_by_chunk_reports_progress_and_ends_as_suggest_all() {
    let mut articles = default_articles();
    articles.push(long_article());
    let project = Project::with_articles(articles);
    let counts: Vec<usize> = project.articles().iter().map(|article| article.paragraphs().len()).collect();
    let total: usize = counts.iter().sum();
    assert!(counts.iter().any(|count| *count > 2 * PARAGRAPHS_PER_CHUNK), "{counts:?}");

    let mut run = SuggestionRun::new(&project);
    assert_eq!((run.progress().paragraphs_done, run.progress().paragraphs_total), (0, total));
    let mut steps = Vec::new();
    loop {
        let before = run.progress().paragraphs_done;
        let progress = run.advance(PARAGRAPHS_PER_CHUNK);
        assert_eq!(progress.paragraphs_total, total);
        steps.push(progress.paragraphs_done - before);
        if progress.is_complete() {
            break;
        }
    }
    // One step per chunk, and a chunk never spans two articles.
    let expected: Vec<usize> = counts
        .iter()
        .flat_map(|count| {
            (0..count.div_ceil(PARAGRAPHS_PER_CHUNK))
                .map(move |chunk| (count - chunk * PARAGRAPHS_PER_CHUNK).min(PARAGRAPHS_PER_CHUNK))
        })
        .collect();
    assert_eq!(steps, expected);
    assert_eq!(run.advance(PARAGRAPHS_PER_CHUNK).paragraphs_done, total, "nothing left to read");

    let from_run = run.finish();
    assert_eq!(from_run, suggest_all(&project), "suggest_all is this run to its end");
    let keys: BTreeSet<&SuggestionKey> = from_run.iter().map(|suggestion| &suggestion.key).collect();
    assert_eq!(keys.len(), from_run.len(), "a speaker quoted in several chunks is proposed once");
    let first_link = from_run.iter().position(|suggestion| suggestion.kind.is_link()).expect("links");
    assert!(from_run[first_link..].iter().all(|suggestion| suggestion.kind.is_link()), "spans first, then links");
}

#[test]
fn a_run_drops_rejected_annotated_and_linked_suggestions_of_its_snapshot() {
    let project = project();
    let all = suggest_all(&project);
    let quote = attributed_quote(&all);
    let link = first_of(&all, SuggestionKind::SameStatement);
    let claim = first_of(&all, SuggestionKind::NumericClaim);
    let mut next_id = id_generator();
    let mut changed = applied(project.clone(), accept(&project, &quote, &mut next_id, 1).unwrap());
    changed = applied(changed.clone(), accept(&changed, &link, &mut next_id, 1).unwrap());
    changed = applied(changed, reject(&claim));

    let mut run = SuggestionRun::new(&changed);
    run.advance(1);
    let remaining: Vec<SuggestionKey> = run.finish().into_iter().map(|suggestion| suggestion.key).collect();
    for gone in [&quote, &link, &claim] {
        assert!(!remaining.contains(&gone.key), "{}", gone.key);
    }
    let open = OpenSuggestions::new(&changed);
    let expected: Vec<SuggestionKey> = open.filter(&all).into_iter().map(|suggestion| suggestion.key).collect();
    assert_eq!(remaining, expected, "the run keeps exactly what is still open");
    assert!(remaining.len() + 4 <= all.len(), "the quote, its speaker, the link and the claim are gone");
}

#[test]
fn a_rejected_suggestion_is_no_longer_open() {
    let project = project();
    let all = suggest_all(&project);
    let claim = first_of(&all, SuggestionKind::NumericClaim);
    assert!(OpenSuggestions::new(&project).is_open(&claim));
    assert!(!OpenSuggestions::new(&applied(project, reject(&claim))).is_open(&claim));
}

#[test]
fn a_span_is_closed_by_a_covering_span_of_its_label_only() {
    let project = project();
    let all = suggest_all(&project);
    let quote = first_of(&all, SuggestionKind::Quote);
    let proposed = quote.span().unwrap().clone();
    let article = project.article(&proposed.article).unwrap().clone();
    let span = |id: &str, start: usize, end: usize, label: &str| {
        new_span(&project, SpanId::from(id), &article, start, end, &label.into(), 0).expect("a span")
    };
    let length = proposed.end - proposed.start;
    // Wider by its quotation marks: still the same passage (the CoverageIndex rule).
    let wider = applied(project.clone(), Edit::AddSpan(span("wider", proposed.start - 1, proposed.end + 2, "quote")));
    assert!(!OpenSuggestions::new(&wider).is_open(&quote));
    // The same offsets under another label, or half of the passage: still open.
    let claim = applied(project.clone(), Edit::AddSpan(span("claim", proposed.start, proposed.end, "claim")));
    assert!(OpenSuggestions::new(&claim).is_open(&quote));
    let half =
        applied(project.clone(), Edit::AddSpan(span("half", proposed.start, proposed.start + length / 2, "quote")));
    assert!(OpenSuggestions::new(&half).is_open(&quote));
}

#[test]
fn a_link_is_closed_once_its_ends_are_linked_by_its_type_in_either_direction() {
    let project = project();
    let all = suggest_all(&project);
    let link = first_of(&all, SuggestionKind::SameStatement);
    let mut next_id = id_generator();
    // Both ends accepted as spans, not linked: the link is still open.
    let SuggestionTarget::Link { from: LinkEnd::Proposed(from), to: LinkEnd::Proposed(to), .. } = &link.target else {
        panic!("proposed ends")
    };
    let mut ends_only = project.clone();
    for end in [from, to] {
        let as_span = Suggestion {
            key: SuggestionKey::from(format!("end:{}", end.start)),
            kind: SuggestionKind::Quote,
            target: SuggestionTarget::Span { span: end.clone(), speaker: None },
            reason: String::new(),
            score: 1.0,
        };
        ends_only = applied(ends_only.clone(), accept(&ends_only, &as_span, &mut next_id, 1).unwrap());
    }
    assert!(OpenSuggestions::new(&ends_only).is_open(&link), "proposed ends that exist but are not linked");

    let linked = applied(ends_only.clone(), accept(&ends_only, &link, &mut next_id, 2).unwrap());
    let open = OpenSuggestions::new(&linked);
    assert!(!open.is_open(&link), "proposed ends resolved to the spans that are linked");
    let relation = linked.relations().values().next().unwrap().clone();
    let existing = |id: &SpanId| {
        let span = linked.span(id).unwrap();
        LinkEnd::Existing {
            span: id.clone(),
            article: span.article.clone(),
            start: span.start,
            end: span.end,
            text: span.text.to_string(),
        }
    };
    let between = |relation_type: &str, from: &SpanId, to: &SpanId| Suggestion {
        target: SuggestionTarget::Link {
            relation_type: RelationTypeId::from(relation_type),
            kind: None,
            from: existing(from),
            to: existing(to),
        },
        key: SuggestionKey::from(format!("{relation_type}:{from}|{to}")),
        ..link.clone()
    };
    assert!(!open.is_open(&between(schema::SAME_STATEMENT, &relation.to, &relation.from)), "the other direction");
    assert!(open.is_open(&between(schema::CONTRADICTS, &relation.from, &relation.to)), "another relation type");
}

#[test]
fn recording_an_acceptance_keeps_the_index_that_of_the_project() {
    let mut project = project();
    let all = suggest_all(&project);
    let mut open = OpenSuggestions::new(&project);
    let mut next_id = id_generator();
    for suggestion in [attributed_quote(&all), first_of(&all, SuggestionKind::SameStatement), all[3].clone()] {
        let edit = accept(&project, &suggestion, &mut next_id, 5).unwrap();
        project.apply(edit.clone(), 5).unwrap();
        open.record(&edit);
        assert_eq!(open, OpenSuggestions::new(&project), "{}", suggestion.key);
    }
    open.record(&reject(&all[0]));
    assert_eq!(open, OpenSuggestions::new(&applied(project, reject(&all[0]))));
}

#[test]
fn accept_all_skips_suggestions_no_longer_open_and_those_the_project_refuses() {
    let project = project();
    let all = suggest_all(&project);
    let quote = attributed_quote(&all);
    let SuggestionTarget::Span { speaker: Some(mention), .. } = &quote.target else { unreachable!() };
    let speaker = all
        .iter()
        .find(|suggestion| suggestion.kind == SuggestionKind::Speaker && suggestion.span() == Some(mention))
        .cloned()
        .expect("the speaker's own suggestion");
    let claim = first_of(&all, SuggestionKind::NumericClaim);
    let rejected = all
        .iter()
        .find(|suggestion| suggestion.kind == SuggestionKind::NumericClaim && suggestion.key != claim.key)
        .unwrap()
        .clone();
    let project = applied(project, reject(&rejected));
    // Its text no longer matches the article: accepting it collides, so it is skipped.
    let mut stale = all
        .iter()
        .find(|suggestion| suggestion.kind == SuggestionKind::Quote && suggestion.key != quote.key)
        .unwrap()
        .clone();
    if let SuggestionTarget::Span { span, .. } = &mut stale.target {
        span.text.push('!');
    }
    let list: Vec<Rc<Suggestion>> =
        [&quote, &speaker, &quote, &rejected, &stale, &claim].into_iter().cloned().map(Rc::new).collect();
    let mut next_id = id_generator();
    let result = accept_all(&project, &list, &mut next_id, 9).expect("some accepted");
    assert_eq!(result.accepted, 2, "the quote (with its speaker) and the claim");
    let after = applied(project.clone(), result.edit.clone());
    assert_eq!(after.spans().len(), 3, "quote, speaker mention and claim, each once");
    assert_eq!(after.relations().len(), 1, "the attribution");
    let open = OpenSuggestions::new(&after);
    assert!([&quote, &speaker, &claim, &rejected].iter().all(|suggestion| !open.is_open(suggestion)));
    assert!(open.is_open(&stale) && after.spans().values().all(|span| span.text != stale.span().unwrap().text));

    // One undoable step.
    let mut undone = project.clone();
    let inverse = undone.apply(result.edit, 9).unwrap();
    undone.apply(inverse, 10).unwrap();
    assert!(undone.spans().is_empty() && undone.relations().is_empty(), "undo takes the whole acceptance back");

    // Nothing open: nothing to dispatch.
    assert_eq!(accept_all(&after, &list[..4], &mut next_id, 11), None);
}

#[test]
fn reject_all_rejects_each_as_one_step() {
    let project = project();
    let all = suggest_all(&project);
    let some: Vec<Suggestion> =
        all.iter().filter(|suggestion| suggestion.kind == SuggestionKind::NumericClaim).cloned().collect();
    assert!(some.len() > 1);
    let edit = reject_all(&some).expect("an edit");
    let Edit::Batch(edits) = &edit else { panic!("one batch") };
    assert_eq!(edits.len(), some.len());
    let mut after = project.clone();
    let inverse = after.apply(edit, 1).unwrap();
    assert_eq!(after.rejected_suggestions().len(), some.len());
    let open = OpenSuggestions::new(&after);
    assert!(some.iter().all(|suggestion| !open.is_open(suggestion)));
    assert_eq!(open.filter(&all).len(), all.len() - some.len(), "only those");
    after.apply(inverse, 2).unwrap();
    assert!(after.rejected_suggestions().is_empty(), "undo brings them all back");
    assert_eq!(reject_all::<Suggestion>(&[]), None);
}

#[test]
fn pseudo_spans_are_the_open_span_suggestions_of_one_article_at_their_offsets() {
    let project = project();
    let all: Vec<Rc<Suggestion>> = suggest_all(&project).into_iter().map(Rc::new).collect();
    let article = project.articles()[1].clone();
    let of_article: Vec<&Rc<Suggestion>> =
        all.iter().filter(|suggestion| suggestion.span().is_some_and(|span| span.article == article.id)).collect();
    let quote = of_article.iter().find(|suggestion| suggestion.kind == SuggestionKind::Quote).unwrap();
    let after = applied(project.clone(), accept(&project, quote, &mut id_generator(), 1).unwrap());
    let open = OpenSuggestions::new(&after);

    let spans = suggested_spans(&all, &open, &article.id);
    let expected: BTreeSet<&str> = of_article
        .iter()
        .filter(|suggestion| open.is_open(suggestion))
        .map(|suggestion| suggestion.key.as_str())
        .collect();
    let ids: BTreeSet<&str> = spans.iter().map(|span| span.key.as_str()).collect();
    assert_eq!(ids, expected, "every open span suggestion of the article, by its key");
    assert!(!ids.contains(quote.key.as_str()), "not the accepted one");
    assert!(spans.len() + 2 <= of_article.len(), "the quote and its speaker are gone");
    for span in &spans {
        let suggestion = all.iter().find(|suggestion| suggestion.key == span.key).unwrap();
        let proposed = suggestion.span().unwrap();
        assert_eq!((span.start, span.end, &span.label), (proposed.start, proposed.end, &proposed.label));
        assert_eq!(article.slice(span.start, span.end), Some(proposed.text.as_str()), "code-point offsets");
    }
    assert!(
        spans
            .windows(2)
            .all(|pair| (pair[0].start, std::cmp::Reverse(pair[0].end))
                <= (pair[1].start, std::cmp::Reverse(pair[1].end)))
    );
    let other = &project.articles()[0].id;
    assert_ne!(other, &article.id);
    assert!(suggested_spans(&all, &open, other).iter().all(|span| {
        all.iter().any(|suggestion| {
            suggestion.key == span.key && suggestion.span().is_some_and(|proposed| &proposed.article == other)
        })
    }));
}

/// The side tab said "Suggestions (43)" (dashed spans only) while the panel listed 50 for the same
/// article (spans and the links touching it): both now count the same set.
#[test]
fn the_tab_count_is_the_open_spans_and_links_touching_the_article() {
    let project = project();
    let all = suggest_all(&project);
    let article = &project.articles()[1].id;
    let links_touching =
        all.iter().filter(|suggestion| suggestion.span().is_none() && suggestion.touches(article)).count();
    assert!(links_touching > 0, "the corpus has cross-article links touching the article");
    let open = OpenSuggestions::new(&project);
    let spans = suggested_spans(&all, &open, article).len();
    assert_eq!(open_in_article(&all, &open, article), spans + links_touching);

    let link = all.iter().find(|suggestion| suggestion.span().is_none() && suggestion.touches(article)).unwrap();
    let elsewhere = all.iter().filter(|suggestion| !suggestion.touches(article)).count();
    assert!(elsewhere > 0);
    let after = OpenSuggestions::new(&applied(project.clone(), reject(link)));
    assert_eq!(open_in_article(&all, &after, article), spans + links_touching - 1, "a rejected link no longer counts");
}
