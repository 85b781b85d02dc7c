#![cfg(not(target_arch = "wasm32"))]
//! Regression tests for what `tests/fuzz_importers.rs` found, one per finding, each named after
//! it. The inputs are the shrunk ones the fuzzer printed (or the smallest that shows the same
//! failure).

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crosscheck::domain::article::Article;
use crosscheck::domain::corpus::default_articles;
use crosscheck::domain::project::Project;
use crosscheck::formats::upload::defuse_event_handlers;
use crosscheck::formats::{project_json, w3c};

/// Runs `body` on a thread with the browser's wasm stack (1 MiB), where a stack overflow
/// aborts the whole test binary instead of failing one test.
fn on_small_stack<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(1024 * 1024).spawn(body).expect("a thread starts").join().expect("no panic")
}

/// html_defuse cases 51, 132, 256…: `rest[..2]` sliced inside the character after an `o` at the
/// start of an attribute ("end byte index 2 is not a char boundary; it is inside 'ó'").
#[test]
fn html_defuse_survives_multibyte_character_after_o() {
    for html in ["<a oón=3>", "<a o🙂nx>", "<p o\u{2028}x>", "<a oé", "<b /oß>", "<i o𝔘 onclick=x>"] {
        let defused = defuse_event_handlers(html);
        assert_eq!(defused.replace("data-defused-", ""), html, "only handlers are renamed in {html:?}");
    }
    assert_eq!(defuse_event_handlers("<i o𝔘 onclick=x>"), "<i o𝔘 data-defused-onclick=x>");
    assert_eq!(defuse_event_handlers("<img src=x onérror=y ONLOAD=z>"), "<img src=x onérror=y data-defused-ONLOAD=z>");
}

fn foreign_annotation(project: &Project) -> Value {
    let article = &project.articles()[0];
    json!({
        "id": "https://example.org/anno/4",
        "body": {"purpose": "tagging", "value": "claim"},
        "target": {"source": w3c::article_iri(&article.id),
                   "selector": {"type": "TextPositionSelector", "start": 0, "end": 20}}
    })
}

/// The fastest of three timings of the import of `copies` copies (the minimum shrugs off a
/// loaded machine's pauses).
fn fastest_import(project: &Project, copies: usize) -> Duration {
    let json = Value::Array(vec![foreign_annotation(project); copies]).to_string();
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let imported = w3c::from_w3c(&json, project, 0).expect("well-formed");
            let elapsed = started.elapsed();
            assert_eq!(imported.spans.len(), copies);
            elapsed
        })
        .min()
        .unwrap_or_default()
}

/// w3c cases 54499, 232213, 278007: ten thousand copies of one annotation (2.8 MB) took 32 s,
/// because every copy probed the fresh ids `s-w3c-<hash>`, `-2`, `-3`… from the start. Proved
/// without a wall-clock limit (which a loaded CI machine can miss): four times the copies cost
/// about four times the time in the same run (quadratic: sixteen).
#[test]
fn w3c_import_of_many_identical_annotations_is_not_quadratic() {
    let project = Project::with_articles(default_articles());
    let copies = 10_000;
    let json = Value::Array(vec![foreign_annotation(&project); copies]).to_string();
    let imported = w3c::from_w3c(&json, &project, 0).expect("well-formed");
    assert_eq!(imported.spans.len(), copies);
    // The ids are the ones the probing gave: the hash, then -2, -3… in file order.
    let base = imported.spans[0].id.as_str().to_string();
    assert!(base.starts_with("s-w3c-"), "{base}");
    assert_eq!(imported.spans[1].id.as_str(), format!("{base}-2"));
    assert_eq!(imported.spans[copies - 1].id.as_str(), format!("{base}-{copies}"));
    let mut target = project.clone();
    target.apply(imported.into_edit(), 0).expect("the import applies");
    let small = fastest_import(&project, copies / 4);
    let large = fastest_import(&project, copies);
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    println!("{} copies in {small:?}, {copies} in {large:?}: {ratio:.1}x", copies / 4);
    assert!(ratio < 8.0, "{ratio:.1}x the time for 4x the copies: quadratic");
}

/// Found by reading while writing the fuzzer, then by project_json inputs with a repeated
/// `history.undo` step: a project file with tens of thousands of undo steps overflowed the
/// stack (and, in the browser, killed the app) when the history was dropped.
#[test]
fn project_import_survives_a_history_of_40000_steps() {
    let project = Project::with_articles(vec![Article::new("One claim here.", "", "a.txt")]);
    let mut document: Value = serde_json::from_str(&project_json::to_json(&project)).unwrap();
    let step = json!({"edit": {"edit": "reject_suggestion", "with": "x"}, "at": 1});
    document["history"] = json!({"undo": vec![step.clone(); 40_000], "redo": vec![step; 40_000]});
    let json = document.to_string();
    let (depths, same) = on_small_stack(move || {
        let (stored, _, history) = project_json::from_stored_json(&json).expect("a valid stored copy");
        let (plain, _) = project_json::from_json(&json).expect("a valid project");
        ((history.undo_depth(), history.redo_depth()), stored == plain)
    });
    assert!(same);
    let kept = project_json::STORED_HISTORY_STEPS;
    assert_eq!(depths, (kept, kept), "the newest steps are kept, as the app stores them");
}

/// w3c cases 106338, 119675, 278007: a thousand copies of an annotation whose quote has a typo
/// took 1.5–4 s, all of it approximate search; ten unplaceable 500-character quotes (7 KB) took
/// 4 s. The import's approximate-search budget (`w3c::FUZZY_IMPORT_BUDGET`, 300 M → 50 M
/// cells) now ends that near half a second.
#[test]
fn w3c_import_of_many_unplaceable_quotes_stays_within_the_fuzzy_budget() {
    // An article of 52,000 code points and quotes of 500 that are nowhere in it: 26 M cells
    // each, so the budget allows one search (it allowed eleven before).
    let text: String = (0..52_000).map(|i| char::from(b'a' + ((i * 7 + i / 13) % 26) as u8)).collect();
    let project = Project::with_articles(vec![Article::new(&text, "", "x.txt")]);
    let article_iri = w3c::article_iri(&project.articles()[0].id);
    let searched = w3c::FUZZY_IMPORT_BUDGET / (500 * 52_000);
    assert_eq!(searched, 1);
    let items: Vec<Value> = (0..10)
        .map(|k| {
            let quote: String = (0..500).map(|i| char::from(b'a' + ((i * 11 + k) % 26) as u8)).collect();
            json!({"id": format!("urn:x:{k}"), "body": {"purpose": "tagging", "value": "claim"},
                   "target": {"source": article_iri, "selector": {"type": "TextQuoteSelector", "exact": quote}}})
        })
        .collect();
    let json = Value::Array(items).to_string();
    let started = Instant::now();
    let imported = w3c::from_w3c(&json, &project, 0).expect("well-formed");
    let elapsed = started.elapsed();
    assert!(imported.spans.is_empty());
    let spent = imported.unanchored.iter().filter(|item| item.reason.contains("approximate search is spent")).count();
    assert_eq!((imported.unanchored.len(), spent), (10, 10 - searched), "{:?}", imported.unanchored.last());
    if !cfg!(debug_assertions) {
        assert!(elapsed < Duration::from_millis(1500), "ten unplaceable quotes took {elapsed:?}");
    }
}

/// One annotation on an article that is one letter sixty thousand times, with a quote of that
/// letter: every code point starts an occurrence, and each was scored against the whole prefix
/// or suffix, so context as long as the article made it quadratic.
fn repetitive_quote(exact: usize, prefix: usize, suffix: usize, copies: usize) -> (Project, String) {
    let project = Project::with_articles(vec![Article::new(&"x".repeat(60_000), "", "x.txt")]);
    let annotation = json!({
        "id": "https://example.org/anno/5", "body": {"purpose": "tagging", "value": "claim"},
        "target": {"source": w3c::article_iri(&project.articles()[0].id), "selector": {
            "type": "TextQuoteSelector",
            "exact": "x".repeat(exact), "prefix": "x".repeat(prefix), "suffix": "x".repeat(suffix)}}
    });
    (project, Value::Array(vec![annotation; copies]).to_string())
}

fn import_quickly(project: &Project, json: &str, spans: usize) {
    let started = Instant::now();
    let imported = w3c::from_w3c(json, project, 0).expect("well-formed");
    let elapsed = started.elapsed();
    assert_eq!(imported.spans.len(), spans, "{:?}", imported.unanchored.first());
    let article = &project.articles()[0];
    for span in &imported.spans {
        assert_eq!(article.slice(span.start, span.end), Some(span.text.as_str()));
    }
    let limit = if cfg!(debug_assertions) { Duration::from_secs(20) } else { Duration::from_secs(1) };
    assert!(elapsed < limit, "took {elapsed:?}");
}

/// w3c cases 222934 (a 172,740-code-point prefix: 12.6 s), 286536 (5,000: 1.6 s) and 272950
/// (a 30,000-code-point suffix: 8.2 s).
#[test]
fn w3c_import_survives_long_quote_context_in_a_repetitive_article() {
    let (project, json) = repetitive_quote(10, 60_000, 0, 1);
    import_quickly(&project, &json, 1);
    let (project, json) = repetitive_quote(10, 5, 60_000, 1);
    import_quickly(&project, &json, 1);
}

/// w3c case 286657: a 10,000-code-point quote of the repeated letter (1.6 s): each of the 50,000
/// overlapping occurrences re-read the whole quote.
#[test]
fn w3c_import_survives_a_long_quote_in_a_repetitive_article() {
    let (project, json) = repetitive_quote(30_000, 5, 3, 1);
    import_quickly(&project, &json, 1);
}

/// w3c cases 54499 and 107608: ten thousand copies of a ten-letter quote that occurs 60,000
/// times took 62 s; past `w3c::QUOTE_IMPORT_BUDGET` each copy takes its first occurrence.
#[test]
fn w3c_import_of_many_copies_of_a_repetitive_quote_stays_within_the_quote_budget() {
    let (project, json) = repetitive_quote(10, 5, 3, 10_000);
    import_quickly(&project, &json, 10_000);
}
