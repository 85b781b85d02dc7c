//! Deliveries in every order end with every item in the project, nothing lost, no endless loop.

use std::collections::{BTreeSet, HashMap};

use proptest::prelude::*;

use super::*;
use crate::domain::annotation::RelationId;
use crate::domain::history::History;
use crate::domain::project::{new_relation, new_span, Edit};
use crate::domain::state::UiPosition;
use crate::formats::stored::docs::{RELATION_PREFIX, SPAN_PREFIX};
use crate::formats::stored::save::{plan, SavedState};

/// A team's project: `articles` articles, five spans on each, a link from every span to a span
/// of the next article.
fn team_project(articles: usize) -> Project {
    let articles: Vec<Article> = (0..articles)
        .map(|index| Article::new(&format!("Article {index} says alpha beta gamma delta epsilon."), "", "wire"))
        .collect();
    let mut project = Project::with_articles(articles.clone());
    for (index, article) in articles.iter().enumerate() {
        for span in 0..5 {
            let start = 2 + span * 6;
            let id = SpanId::from(format!("s{index}-{span}"));
            let made = new_span(&project, id, article, start, start + 4, &"claim".into(), 1).expect("a span");
            project.apply(Edit::AddSpan(made), 1).expect("added");
        }
    }
    for index in 0..articles.len() {
        let next = (index + 1) % articles.len();
        for span in 0..5 {
            let (from, to) =
                (SpanId::from(format!("s{index}-{span}")), SpanId::from(format!("s{next}-{}", (span + 1) % 5)));
            if from == to {
                continue;
            }
            let id = RelationId::from(format!("r{index}-{span}"));
            let link = new_relation(&project, id, &"supports".into(), from, to, 1);
            project.apply(Edit::AddRelation(link), 1).expect("linked");
        }
    }
    project
}

/// The shared documents of `project` (articles, spans, links) as the store writes them, and its
/// articles whole.
fn documents_of(project: &Project) -> (Vec<(String, String)>, Vec<Article>) {
    let writes = plan(&SavedState::default(), project, &UiPosition::default(), &History::default(), 1).writes;
    let documents = writes
        .into_iter()
        .filter(|write| {
            [ARTICLE_PREFIX, SPAN_PREFIX, RELATION_PREFIX].iter().any(|prefix| write.id.starts_with(prefix))
        })
        .filter_map(|write| Some((write.id, write.json?)))
        .collect();
    (documents, project.articles().iter().map(|article| (**article).clone()).collect())
}

/// A browser that has none of the team's articles yet (the same schemas).
fn newcomer() -> Project {
    Project::with_articles(Vec::new())
}

/// Delivers `deliveries` one after the other, each with the whole articles among its documents,
/// as team sync does; returns the last outcome's project, what waits, and every write in order.
fn deliver_all(
    deliveries: Vec<Vec<(String, String)>>,
    articles: &[Article],
) -> (Project, Vec<WaitingDocument>, Vec<Write>) {
    deliver_in_slices(deliveries, articles, usize::MAX)
}

/// [`deliver_all`], each delivery merged `slice` documents at a time (as the browser does
/// between yields).
fn deliver_in_slices(
    deliveries: Vec<Vec<(String, String)>>,
    articles: &[Article],
    slice: usize,
) -> (Project, Vec<WaitingDocument>, Vec<Write>) {
    let by_id: HashMap<String, Article> =
        articles.iter().map(|article| (format!("{ARTICLE_PREFIX}{}", article.id), article.clone())).collect();
    let mut project = newcomer();
    let mut waiting = Vec::new();
    let mut writes = Vec::new();
    for documents in deliveries {
        let whole = documents.iter().filter_map(|(id, _)| by_id.get(id).cloned()).collect();
        let mut merge = DeliveryMerge::new(&project, std::mem::take(&mut waiting));
        merge.add(documents, true, whole);
        let mut slices = 0;
        while !merge.is_done() {
            let out = merge.step(&mut project, slice);
            assert!(out.unreadable.is_empty(), "{:?}", out.unreadable);
            writes.extend(out.writes);
            slices += 1;
            assert!(slices < 100_000, "the merge ends");
        }
        waiting = merge.into_waiting();
    }
    (project, waiting, writes)
}

/// Every link written after both its spans, every span after its article.
fn assert_dependency_order(writes: &[Write], team: &Project) {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for write in writes {
        if let Some(span) = write.id.strip_prefix(SPAN_PREFIX) {
            let article = &team.span(&SpanId::from(span)).expect("a team span").article;
            assert!(seen.contains(format!("{ARTICLE_PREFIX}{article}").as_str()), "{} before its article", write.id);
        }
        if let Some(link) = write.id.strip_prefix(RELATION_PREFIX) {
            let link = team.relation(&RelationId::from(link)).expect("a team link");
            for end in [&link.from, &link.to] {
                assert!(seen.contains(format!("{SPAN_PREFIX}{end}").as_str()), "{} before its span {end}", write.id);
            }
        }
        seen.insert(&write.id);
    }
}

fn assert_everything_arrived(project: &Project, team: &Project) {
    assert_eq!(project.articles().len(), team.articles().len(), "articles");
    assert_eq!(project.spans().len(), team.spans().len(), "spans");
    assert_eq!(project.relations().len(), team.relations().len(), "links");
}

/// By kind: links, then spans, then articles — the reverse of what they need.
fn backwards(documents: &[(String, String)]) -> Vec<(String, String)> {
    let rank = |id: &str| match id {
        _ if id.starts_with(RELATION_PREFIX) => 0,
        _ if id.starts_with(SPAN_PREFIX) => 1,
        _ => 2,
    };
    let mut documents = documents.to_vec();
    documents.sort_by_key(|(id, _)| rank(id));
    documents
}

#[test]
fn links_delivered_before_their_spans_and_articles_all_merge_in_one_delivery() {
    let team = team_project(4);
    let (documents, articles) = documents_of(&team);
    let (project, waiting, writes) = deliver_all(vec![backwards(&documents)], &articles);
    assert_everything_arrived(&project, &team);
    assert!(waiting.is_empty(), "{waiting:?}");
    assert_dependency_order(&writes, &team);
    assert_eq!(writes.len(), documents.len(), "each document written once");
}

/// The large pull's loss (481 of 4,000 links): the texts come last in the feed, so every span
/// and link waits for deliveries; the last delivery brings the articles, and one pass over it
/// tried the links waiting from earlier deliveries before the spans they name.
#[test]
fn links_waiting_from_earlier_deliveries_merge_when_the_last_delivery_brings_the_articles() {
    let team = team_project(6);
    let (documents, articles) = documents_of(&team);
    let (items, article_documents): (Vec<_>, Vec<_>) =
        documents.into_iter().partition(|(id, _)| !id.starts_with(ARTICLE_PREFIX));
    // Batches of ten in the feed's order (spans, then links), then the articles alone. One pass
    // over "new documents, then the waiting ones" put each later batch's links before the
    // earlier batches' spans.
    let mut items = backwards(&items);
    items.reverse();
    let mut deliveries: Vec<Vec<(String, String)>> = items.chunks(10).map(<[_]>::to_vec).collect();
    deliveries.push(article_documents);
    let (project, waiting, writes) = deliver_all(deliveries, &articles);
    assert_everything_arrived(&project, &team);
    assert!(waiting.is_empty(), "{} still waiting", waiting.len());
    assert_dependency_order(&writes, &team);
}

#[test]
fn links_whose_spans_arrive_in_a_later_delivery_wait_for_them() {
    let team = team_project(3);
    let (documents, articles) = documents_of(&team);
    let (links, rest): (Vec<_>, Vec<_>) = documents.into_iter().partition(|(id, _)| id.starts_with(RELATION_PREFIX));
    let (spans, article_documents): (Vec<_>, Vec<_>) =
        rest.into_iter().partition(|(id, _)| id.starts_with(SPAN_PREFIX));
    let (project, waiting, writes) = deliver_all(vec![article_documents, links.clone()], &articles);
    assert_eq!(project.relations().len(), 0);
    assert_eq!(waiting.len(), links.len(), "every link waits");
    assert!(waiting.iter().all(|item| matches!(item.waits_for, WaitsFor::Span(_))), "for a span, named");
    let out = merge_delivery(project, spans, Vec::new(), waiting);
    assert_everything_arrived(&out.project, &team);
    assert!(out.waiting.is_empty());
    assert_dependency_order(&[writes, out.writes].concat(), &team);
}

#[test]
fn a_link_whose_span_never_comes_stays_waiting_and_the_merge_ends() {
    let team = team_project(2);
    let (documents, articles) = documents_of(&team);
    let missing = format!("{SPAN_PREFIX}s1-0");
    let documents: Vec<_> = documents.into_iter().filter(|(id, _)| *id != missing).collect();
    let (project, waiting, _) = deliver_all(vec![backwards(&documents)], &articles);
    let orphans: BTreeSet<String> = waiting.iter().map(|item| item.id.clone()).collect();
    let expected: BTreeSet<String> = team
        .relations()
        .values()
        .filter(|link| link.touches(&SpanId::from("s1-0")))
        .map(|link| format!("{RELATION_PREFIX}{}", link.id))
        .collect();
    assert_eq!(orphans, expected, "exactly the links naming the missing span wait");
    assert!(waiting.iter().all(|item| item.waits_for == WaitsFor::Span(SpanId::from("s1-0"))));
    assert_eq!(project.relations().len(), team.relations().len() - expected.len());
    // A later delivery without the span leaves them waiting, untouched and unparsed.
    let again = merge_delivery(project, Vec::new(), Vec::new(), waiting.clone());
    assert_eq!(again.waiting, waiting);
    assert!(!again.changed);
}

#[test]
fn an_unreadable_document_is_reported_and_the_rest_merges() {
    let team = team_project(2);
    let (mut documents, articles) = documents_of(&team);
    documents.insert(0, (format!("{SPAN_PREFIX}broken"), "{not json".to_string()));
    let out = merge_delivery(newcomer(), documents, articles, Vec::new());
    assert_eq!(out.unreadable, [format!("{SPAN_PREFIX}broken")]);
    assert_everything_arrived(&out.project, &team);
}

/// The writes of a large delivery, committed in chunks and stopped by a full quota after any
/// write: what is stored loads as a consistent project (every link with its spans), the journal
/// never holds more than one chunk, and the failure says how many writes are stored.
#[test]
fn a_delivery_committed_in_chunks_loads_after_a_stop_at_any_write() {
    use crate::formats::stored::journal::{commit_in_chunks, read_documents, KeyValue, MemoryStore, StoreError};
    use crate::formats::stored::key_for;
    use crate::formats::stored::load::load;
    const CHUNK: usize = 7;
    let team = team_project(3);
    let (documents, articles) = documents_of(&team);
    let out = merge_delivery(newcomer(), backwards(&documents), articles, Vec::new());
    let texts = team.articles().iter().map(|article| (article.id.clone(), article.text.clone())).collect();
    // The newcomer's own store (its manifest, schemas, settings) before the delivery.
    let mut before = MemoryStore::default();
    let own = plan(&SavedState::default(), &newcomer(), &UiPosition::default(), &History::default(), 1).writes;
    commit_in_chunks(&mut before, &own, own.len()).expect("no limit");
    before.writes = 0;
    // Counts every write the full commit makes (documents, journals, journal removals).
    let mut whole = before.clone();
    commit_in_chunks(&mut whole, &out.writes, CHUNK).expect("no limit");
    assert_eq!(
        load(&read_documents(&whole).unwrap().0, &texts).unwrap().project.relations().len(),
        team.relations().len()
    );
    for stop in 0..whole.writes {
        let mut store = MemoryStore { fail_from_write: Some(stop), ..before.clone() };
        let failure = commit_in_chunks(&mut store, &out.writes, CHUNK).expect_err("stopped");
        if let Some(journal) = store.get(&key_for(crate::formats::stored::docs::JOURNAL_ID)).unwrap() {
            assert!(journal.matches("\"_rev").count() <= CHUNK, "a journal of one chunk at most");
        }
        assert_eq!(failure.committed % CHUNK, 0, "whole chunks");
        assert!(matches!(failure.error, StoreError::Unavailable(_)));
        let (stored, _) = read_documents(&store).unwrap();
        let loaded = load(&stored, &texts).unwrap();
        assert!(loaded.problems.is_empty(), "stop at write {stop}: {:?}", loaded.problems);
        for link in loaded.project.relations().values() {
            assert!(loaded.project.span(&link.from).is_some() && loaded.project.span(&link.to).is_some());
        }
        let items = loaded.project.articles().len() + loaded.project.spans().len() + loaded.project.relations().len();
        // The committed prefix, and the failed chunk too when its journal was written.
        assert!((failure.committed..=failure.committed + CHUNK).contains(&items), "{items} items after {stop}");
    }
}

/// Whether `project` holds the item of the shared document `id`.
fn holds(project: &Project, id: &str) -> bool {
    if let Some(article) = id.strip_prefix(ARTICLE_PREFIX) {
        return project.article(&article.into()).is_some();
    }
    if let Some(span) = id.strip_prefix(SPAN_PREFIX) {
        return project.span(&SpanId::from(span)).is_some();
    }
    id.strip_prefix(RELATION_PREFIX).is_some_and(|link| project.relation(&RelationId::from(link)).is_some())
}

/// The team's documents in dependency order (articles, spans, links), as a newcomer's browser
/// receives the last deliveries of a large pull, and a browser with an article of its own.
fn team_and_own_article() -> (Project, Vec<(String, String)>, Vec<Article>, Article) {
    let team = team_project(4);
    let (documents, articles) = documents_of(&team);
    let mut ordered = backwards(&documents);
    ordered.reverse();
    let own = Article::new("Our own desk writes one two three four.", "", "desk");
    (team, ordered, articles, own)
}

/// The browser shows a delivery's merged slices only every 300 ms; a local edit between two
/// slices (a tag made while the large pull merges) changed the project the slices were merged
/// onto. They are merged again onto the edited project: the edit is kept, and every document
/// of the slices — articles (whole, from the slices' project), spans, links — lands on it, and
/// the rest of the delivery after it.
#[test]
fn slices_merged_before_a_local_edit_are_merged_again_onto_it_and_the_edit_is_kept() {
    let (team, ordered, articles, own) = team_and_own_article();
    let local = Project::with_articles(vec![own.clone()]);
    let mut merge = DeliveryMerge::new(&local, Vec::new());
    merge.add(ordered.clone(), true, articles);
    // Two slices merged, not shown yet: articles, spans and some links.
    let mut unshown = local.clone();
    let mut slices = merge.step(&mut unshown, ordered.len() / 3);
    slices.changed_documents.extend(merge.step(&mut unshown, ordered.len() / 3).changed_documents);
    let kinds = |prefix: &str| slices.changed_documents.iter().filter(|(id, _)| id.starts_with(prefix)).count();
    assert!(kinds(ARTICLE_PREFIX) > 0 && kinds(SPAN_PREFIX) > 0 && kinds(RELATION_PREFIX) > 0, "every kind merged");
    // The edit, made on the project as shown (without the slices).
    let mut edited = local.clone();
    let mine = new_span(&edited, SpanId::from("mine"), &own, 0, 3, &"claim".into(), 2).expect("a span");
    edited.apply(Edit::AddSpan(mine), 2).expect("tagged");

    let (mut project, waiting) = merge_again(&edited, &slices.changed_documents, &unshown);
    assert!(waiting.is_empty(), "{waiting:?}");
    assert!(project.span(&SpanId::from("mine")).is_some(), "the edit is kept");
    let lost: Vec<&String> =
        slices.changed_documents.iter().map(|(id, _)| id).filter(|id| !holds(&project, id)).collect();
    assert!(lost.is_empty(), "documents of the slices lost: {lost:?}");
    for article in team.articles() {
        let merged = project.article(&article.id).expect("the article");
        assert_eq!(merged.text, article.text, "whole, with its text");
    }
    // The rest of the delivery, onto the project with the edit.
    merge.wait(waiting);
    while !merge.is_done() {
        merge.step(&mut project, 5);
    }
    assert_eq!(project.articles().len(), team.articles().len() + 1, "articles");
    assert_eq!(project.spans().len(), team.spans().len() + 1, "spans");
    assert_eq!(project.relations().len(), team.relations().len(), "links");
    assert!(merge.into_waiting().is_empty());
}

/// A local edit between two slices deletes a span a link of the slices names: merged again, the
/// link waits for its span (nothing is dropped, no link to nowhere) while the rest lands.
#[test]
fn a_link_of_the_slices_whose_span_an_edit_removed_waits_when_merged_again() {
    let (team, ordered, articles, own) = team_and_own_article();
    let (links, rest): (Vec<_>, Vec<_>) = ordered.into_iter().partition(|(id, _)| id.starts_with(RELATION_PREFIX));
    // Articles and spans shown already; the links merged in a slice not shown yet.
    let shown = merge_delivery(Project::with_articles(vec![own]), rest, articles, Vec::new()).project;
    let mut merge = DeliveryMerge::new(&shown, Vec::new());
    merge.add(links.clone(), true, Vec::new());
    let mut unshown = shown.clone();
    let slice = merge.step(&mut unshown, usize::MAX);
    assert_eq!(slice.changed_documents.len(), links.len());
    let gone = SpanId::from("s1-0");
    let mut edited = shown.clone();
    edited.apply(Edit::RemoveSpan(gone.clone()), 3).expect("removed");

    let (project, waiting) = merge_again(&edited, &slice.changed_documents, &unshown);
    let naming: BTreeSet<String> = team
        .relations()
        .values()
        .filter(|link| link.touches(&gone))
        .map(|link| format!("{RELATION_PREFIX}{}", link.id))
        .collect();
    assert!(!naming.is_empty());
    assert_eq!(waiting.iter().map(|item| item.id.clone()).collect::<BTreeSet<_>>(), naming, "exactly those wait");
    assert!(waiting.iter().all(|item| item.waits_for == WaitsFor::Span(gone.clone()) && !item.store));
    assert!(project.span(&gone).is_none(), "the removal is kept");
    assert_eq!(project.relations().len(), team.relations().len() - naming.len());
}

/// What a delivery merged records as stored, then what the next save writes.
fn save_after(project: &Project, documents: Vec<(String, String)>, store: bool) -> Vec<String> {
    let mut merged_into = project.clone();
    let mut merge = DeliveryMerge::new(project, Vec::new());
    merge.add(documents, store, project.articles().iter().map(|article| (**article).clone()).collect());
    let merged = merge.step(&mut merged_into, usize::MAX);
    assert!(!merged.changed, "the project already held every document");
    let mut saved = SavedState::default();
    saved.absorb(&merged_into, &merged.absorbed);
    let writes = plan(&saved, &merged_into, &UiPosition::default(), &History::default(), 2).writes;
    writes.into_iter().map(|write| write.id).collect()
}

/// Broke: a browser that had never saved (the built-in articles, nothing stored) connected to
/// a server that held those very articles; they merged unchanged, were counted as stored
/// though nothing wrote them, and the autosave never did: the store kept spans without their
/// articles (seen as an intermittent failure of the e2e conflict test).
#[test]
fn server_copies_of_unsaved_items_are_still_saved() {
    let team = team_project(2);
    let (documents, _) = documents_of(&team);
    let written = save_after(&team, documents, true);
    for article in team.articles() {
        assert!(written.contains(&format!("{ARTICLE_PREFIX}{}", article.id)), "{} is saved", article.id);
    }
    for span in team.spans().keys() {
        assert!(written.contains(&format!("{SPAN_PREFIX}{span}")), "{span} is saved");
    }
}

/// Another tab's documents are in the store already: held by the project too, they are not
/// written again.
#[test]
fn another_tabs_documents_already_held_are_not_written_again() {
    let team = team_project(2);
    let (documents, _) = documents_of(&team);
    let written = save_after(&team, documents, false);
    assert!(
        !written
            .iter()
            .any(|id| [ARTICLE_PREFIX, SPAN_PREFIX, RELATION_PREFIX].iter().any(|prefix| id.starts_with(prefix))),
        "{written:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any order, cut into any deliveries: every item ends in the project, in dependency order.
    #[test]
    fn every_item_arrives_whatever_the_order_and_the_cuts(
        seed in any::<u64>(),
        cuts in proptest::collection::vec(1usize..12, 1..8),
        slice in prop_oneof![Just(usize::MAX), 1usize..9],
    ) {
        let team = team_project(4);
        let (documents, articles) = documents_of(&team);
        let mut shuffled = documents.clone();
        // A deterministic shuffle from the seed (no rand dependency).
        let mut state = seed | 1;
        for index in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(index, (state % (index as u64 + 1)) as usize);
        }
        let mut deliveries = Vec::new();
        let mut rest = shuffled.as_slice();
        for cut in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (delivery, after) = rest.split_at((*cut).min(rest.len()));
            deliveries.push(delivery.to_vec());
            rest = after;
        }
        let (project, waiting, writes) = deliver_in_slices(deliveries, &articles, slice);
        prop_assert!(waiting.is_empty(), "{} still waiting", waiting.len());
        assert_everything_arrived(&project, &team);
        assert_dependency_order(&writes, &team);
    }
}
