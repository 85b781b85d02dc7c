#![cfg(not(target_arch = "wasm32"))]
//! Fuzzing every importer on the stable toolchain.
//!
//! `cargo fuzz` needs a nightly compiler, which CI does not have, so this is a self-contained
//! fuzzer in an ordinary test: for each importer a deterministic, seedable generator feeds
//! structure-aware mutations of *valid* documents (exports of an annotated project, corpus
//! files, HTML) and fully random bytes to the parser, each input under `catch_unwind`, timed and
//! with its memory peak measured, and checks the invariants of whatever the parser accepts.
//!
//! | test | importer | invariants of an accepted input |
//! | --- | --- | --- |
//! | `fuzz_project_json` | `project_json::from_stored_json` / `from_json` | export → import gives an equal project and byte-identical JSON; the stored copy keeps view and undo history |
//! | `fuzz_w3c` | `w3c::from_w3c` | every span: `article.slice(start, end) == text`, known label, fresh id; the import's edit applies |
//! | `fuzz_corpus_jsonl` | `corpus::parse_corpus_file` (`.jsonl`, `.ndjson`) | one article per non-blank line, text non-blank without `\r`, id = hash of text, ids distinct |
//! | `fuzz_corpus_json` | `corpus::parse_corpus_file` (`.json`) | as above, one article per array item |
//! | `fuzz_corpus_text` | `corpus::parse_corpus_file` (`.txt`, `.md`) | accepted exactly when UTF-8 and not blank; one article, its text the file's with LF endings |
//! | `fuzz_upload` | `upload::classify`, then the importer it picks, as the import dialog does | no binary file or unknown extension accepted; the picked importer's invariants |
//! | `fuzz_html_defuse` | `upload::defuse_event_handlers` | only inserts `data-defused-`; idempotent |
//!
//! Every parser error must have a message and a line inside the file. An input that panics,
//! breaks an invariant, keeps the importer busy longer than the time limit (the importer's own
//! time, the checks excluded, best of three, then best of three again alone once the workers
//! are done, so that a busy machine is not taken for a slow importer) or allocates more than the
//! memory limit (see [`memory_limit`]) is a failure: it is shrunk (panics and invariant breaks),
//! printed with its case number, written to `$CARGO_TARGET_TMPDIR/fuzz-failures/`, and fails
//! the test. A stack overflow cannot be caught: it aborts the run, and `CROSSCHECK_FUZZ_TRACE=1`
//! names the case.
//!
//! # Running
//!
//! `cargo test` runs a short smoke campaign: 2,000 inputs per importer in an optimised build,
//! 300 in a debug build (where an input costs about ten times as much), a few seconds in all.
//! The full campaign is `make fuzz`, i.e.
//!
//! ```text
//! CROSSCHECK_FUZZ_ITERATIONS=1000000 cargo test --release --test fuzz_importers -- --nocapture --test-threads=1
//! ```
//!
//! | variable | meaning (default) |
//! | --- | --- |
//! | `CROSSCHECK_FUZZ_ITERATIONS` | inputs per importer (2000; 300 in a debug build) |
//! | `CROSSCHECK_FUZZ_START` | the first case number, to resume or bisect a run (0) |
//! | `CROSSCHECK_FUZZ_SEED` | base seed, decimal or `0x…` hex (0x00C0_055C_4EC4) |
//! | `CROSSCHECK_FUZZ_THREADS` | worker threads per importer (the available cores) |
//! | `CROSSCHECK_FUZZ_TIME_LIMIT_MS` | per-input time limit (1000 with optimisations, 20000 in debug builds) |
//! | `CROSSCHECK_FUZZ_STACK_KB` | worker stack size, like the browser's 1 MiB wasm stack (1024) |
//! | `CROSSCHECK_FUZZ_CASE` | `<importer>:<case>` replays one case and prints it, e.g. `w3c:12345` |
//! | `CROSSCHECK_FUZZ_DUMP` | with `CROSSCHECK_FUZZ_CASE`: also write the input to this file |
//! | `CROSSCHECK_FUZZ_TRACE` | `1`: print every case number before running it, to find the input after an abort (stack overflow) |
//!
//! A case is fully determined by (seed, importer, case number), whatever the thread count, so
//! every reported failure can be replayed with `CROSSCHECK_FUZZ_CASE`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Once;
use std::time::{Duration, Instant};

use serde_json::{Map, Number, Value};

mod common;

use crosscheck::domain::annotation::{RelationId, SpanId};
use crosscheck::domain::article::Article;
use crosscheck::domain::corpus::{default_articles, DEFAULT_CORPUS_FILES};
use crosscheck::domain::history::History;
use crosscheck::domain::project::{new_relation, new_span, Edit, Project, Settings};
use crosscheck::domain::schema;
use crosscheck::domain::state::{UiPosition, View};
use crosscheck::domain::text::normalize_line_endings;
use crosscheck::formats::corpus::parse_corpus_file;
use crosscheck::formats::upload::{classify, defuse_event_handlers, FileKind, MAX_IMPORT_BYTES};
use crosscheck::formats::{jsonl, project_json, w3c, FormatError};

// ---------------------------------------------------------------------------------------------
// Memory: a counting allocator that tracks each thread's live bytes and their peak.
// ---------------------------------------------------------------------------------------------

struct CountingAllocator;

thread_local! {
    static LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
    static PEAK_BYTES: Cell<isize> = const { Cell::new(0) };
}

fn count_allocation(change: isize) {
    let _ = LIVE_BYTES.try_with(|live| {
        let now = live.get() + change;
        live.set(now);
        let _ = PEAK_BYTES.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator; the bookkeeping only
// touches thread-local integers (no allocation, no destructor).
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            count_allocation(layout.size() as isize);
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            count_allocation(layout.size() as isize);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        count_allocation(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            count_allocation(new_size as isize - layout.size() as isize);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Starts measuring this thread's allocation peak; returns the baseline.
fn start_memory_watch() -> isize {
    let live = LIVE_BYTES.with(Cell::get);
    PEAK_BYTES.with(|peak| peak.set(live));
    live
}

/// The most bytes this thread held above `baseline` since [`start_memory_watch`].
fn memory_peak_since(baseline: isize) -> usize {
    usize::try_from(PEAK_BYTES.with(Cell::get) - baseline).unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Panics: recorded quietly while a fuzz input runs, printed normally otherwise.
// ---------------------------------------------------------------------------------------------

thread_local! {
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET_PANICS.with(Cell::get) {
                let message = info.to_string();
                LAST_PANIC.with(|last| *last.borrow_mut() = Some(message));
            } else {
                default(info);
            }
        }));
    });
}

// ---------------------------------------------------------------------------------------------
// Randomness: splitmix64, deterministic per case.
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// 1, 2, 3… with geometrically falling odds, at most `max`.
    fn rounds(&mut self, max: usize) -> usize {
        let mut rounds = 1;
        while rounds < max && self.chance(45) {
            rounds += 1;
        }
        rounds
    }

    /// Log-uniform in `0..=max`: small sizes as often as large ones.
    fn size(&mut self, max: usize) -> usize {
        let bits = (usize::BITS - max.leading_zeros()) as usize;
        let bits = self.below(bits + 1);
        let mask = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
        (self.next_u64() & mask).min(max as u64) as usize
    }
}

fn mix(left: u64, right: u64) -> u64 {
    Rng::new(left ^ right.wrapping_mul(0xD6E8_FEB8_6659_FD93)).next_u64()
}

// ---------------------------------------------------------------------------------------------
// The importers under test.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    ProjectJson,
    W3c,
    CorpusJsonl,
    CorpusJson,
    CorpusText,
    Upload,
    HtmlDefuse,
}

const TARGETS: [Target; 7] = [
    Target::ProjectJson,
    Target::W3c,
    Target::CorpusJsonl,
    Target::CorpusJson,
    Target::CorpusText,
    Target::Upload,
    Target::HtmlDefuse,
];

const TEXT_NAMES: [&str; 6] = ["story.txt", "notes.md", "A.TXT", "b.markdown", "c.text", "d.Md"];
const JSONL_NAMES: [&str; 3] = ["corpus.jsonl", "feed.ndjson", "C.JSONL"];
const JSON_NAMES: [&str; 2] = ["corpus.json", "C.JSON"];
/// File names for the upload path; the first five are each seed kind's natural name.
const UPLOAD_NAMES: [&str; 19] = [
    "story.txt",
    "corpus.jsonl",
    "project.json",
    "page.html",
    "annotations.w3c.json",
    "notes.md",
    "feed.ndjson",
    "PAGE.HTM",
    "doc.xhtml",
    "README",
    "archive.tar.gz",
    "x.",
    ".json",
    "a.JSONL",
    "weird name é.Md",
    "report.pdf",
    "a.markdown",
    "b.text",
    "corpus.json",
];
const NOW_VALUES: [i64; 4] = [1_711_375_387_000, 0, i64::MAX, i64::MIN];

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::ProjectJson => "project_json",
            Target::W3c => "w3c",
            Target::CorpusJsonl => "corpus_jsonl",
            Target::CorpusJson => "corpus_json",
            Target::CorpusText => "corpus_text",
            Target::Upload => "upload",
            Target::HtmlDefuse => "html_defuse",
        }
    }

    /// How many variants (file name, project, clock) a case may pick.
    fn variants(self) -> usize {
        match self {
            Target::ProjectJson => 2,
            Target::W3c => 2 * NOW_VALUES.len(),
            Target::CorpusJsonl => JSONL_NAMES.len(),
            Target::CorpusJson => JSON_NAMES.len(),
            Target::CorpusText => TEXT_NAMES.len(),
            Target::Upload => UPLOAD_NAMES.len(),
            Target::HtmlDefuse => 1,
        }
    }

    fn is_json(self) -> bool {
        !matches!(self, Target::CorpusText | Target::HtmlDefuse)
    }

    fn index(self) -> u64 {
        TARGETS.iter().position(|target| *target == self).unwrap_or(0) as u64
    }
}

/// One generated input.
#[derive(Clone, Debug)]
struct Case {
    input: Vec<u8>,
    variant: usize,
}

/// What a successful check saw: accepted or rejected, plus tags for the depth statistics.
struct Outcome {
    accepted: bool,
    tags: Vec<&'static str>,
    /// For rejections: the error, with digits blanked, to count distinct reasons.
    reason: Option<String>,
}

impl Outcome {
    fn accepted(tags: Vec<&'static str>) -> Outcome {
        Outcome { accepted: true, tags, reason: None }
    }

    fn rejected(error: &FormatError) -> Outcome {
        let reason: String = format!("{}: {}", error.field, error.message)
            .chars()
            .map(|character| if character.is_ascii_digit() { '#' } else { character })
            .take(80)
            .collect();
        Outcome { accepted: false, tags: Vec::new(), reason: Some(reason) }
    }
}

/// An invariant broken by an input.
type Violation = String;

// ---------------------------------------------------------------------------------------------
// Fixtures: the annotated project and the valid documents the mutations start from.
// ---------------------------------------------------------------------------------------------

/// An article full of the Unicode that breaks code-point arithmetic: astral emoji, flags, a
/// ZWJ family, skin tones, combining marks, bidi overrides and isolates, CJK, Hebrew, Arabic,
/// line and paragraph separators, a BOM and a zero-width joiner inside the text.
const UNICODE_ARTICLE: &str = "Fact-check 🧐: \u{202e}the vote was \"non-binding\"\u{202c} 🇺🇸🇮🇱.\n\n\
Families 👨‍👩‍👧 rallied ✊🏽 — שלום, سلام, 和平. Cafe\u{301} owners said \u{2066}\"enough\"\u{2069}.\n\
Math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and e\u{301}te\u{301}\u{2028}after a separator\u{2029}and\u{feff}a BOM, a\u{200d}b.\n\
We will not go. Later: we will not go. And: we wil not go!\n";

/// A position that is not a char boundary in UTF-8 and sits past the 64-code-point checkpoint
/// stride of `TextIndex`.
fn repetitive_article() -> String {
    "ab é🙂 ".repeat(300)
}

/// One letter, sixty thousand times: every quote of it occurs everywhere, overlapping.
fn degenerate_article() -> String {
    "x".repeat(60_000)
}

/// The project every W3C input is imported into, and whose exports seed the other importers.
struct Projects {
    annotated: Project,
    bare: Project,
    position: UiPosition,
    history: History,
}

fn build_projects() -> Projects {
    let mut articles = default_articles();
    articles[0].url = "https://example.org/news/1".to_string();
    articles[1].published = "2024-03-25".to_string();
    articles.push(Article::new(UNICODE_ARTICLE, "Unicode", "unicode.txt"));
    articles.push(Article::new(&repetitive_article(), "", "repeat.txt"));
    articles.push(Article::new(&degenerate_article(), "Degenerate", "x.txt"));
    let mut project = Project::with_articles(articles);
    project = project.with_settings(Settings { annotator: "Fuzz Tester".to_string(), ..Settings::default() });
    let bare = project.clone();
    let mut history = History::default();
    let phrase = |project: &Project, article: usize, phrase: &str, occurrence: usize| -> (usize, usize) {
        let text: &str = &project.articles()[article].text;
        let byte = text.match_indices(phrase).nth(occurrence).map(|(byte, _)| byte).expect("the phrase is there");
        let start = text[..byte].chars().count();
        (start, start + phrase.chars().count())
    };
    let add_span =
        |project: &mut Project, history: &mut History, id: &str, article: usize, range: (usize, usize), label: &str| {
            let target = project.articles()[article].clone();
            let mut span =
                new_span(project, SpanId::from(id), &target, range.0, range.1, &(*label).into(), 1_711_375_387_000)
                    .unwrap();
            if label == "quote" {
                span.attributes.insert("speaker".to_string(), "Benjamin Netanyahu".to_string());
                span.attributes.insert("note".to_string(), "a note\nwith two lines".to_string());
            }
            *history = history.apply(project, Edit::AddSpan(span), 1_711_375_387_000).unwrap();
        };
    let first: &str = &project.articles()[0].text;
    let first_words: String = first.chars().take(40).collect();
    let words = first_words.trim().to_string();
    add_span(&mut project, &mut history, "s1", 0, phrase(&bare, 0, &words, 0), "claim");
    add_span(&mut project, &mut history, "s2", 0, (5, 25), "speaker");
    add_span(&mut project, &mut history, "s 3/é", 1, (10, 70), "quote");
    add_span(&mut project, &mut history, "s4", 5, phrase(&bare, 5, "we will not go", 0), "claim");
    add_span(&mut project, &mut history, "s5", 5, phrase(&bare, 5, "👨‍👩‍👧 rallied ✊🏽", 0), "quote");
    add_span(&mut project, &mut history, "s6", 5, phrase(&bare, 5, "\"non-binding\"\u{202c} 🇺🇸", 0), "claim");
    add_span(&mut project, &mut history, "s7", 6, (3, 9), "claim");
    add_span(&mut project, &mut history, "s8", 2, (100, 160), "claim");
    let relations = [
        ("r1", "contradicts", "s1", "s8", "numeric", "why"),
        ("r2", "attributed-to", "s 3/é", "s2", "", ""),
        ("r3", "supports", "s4", "s6", "", "a link\nnote"),
        ("r4", "same-statement", "s5", "s 3/é", "", ""),
    ];
    for (id, kind, from, to, sub_kind, note) in relations {
        let mut relation = new_relation(
            &project,
            RelationId::from(id),
            &(*kind).into(),
            SpanId::from(from),
            SpanId::from(to),
            1_711_375_388_000,
        );
        relation.kind = (!sub_kind.is_empty()).then(|| sub_kind.to_string());
        relation.note = note.to_string();
        history = history.apply(&mut project, Edit::AddRelation(relation), 1_711_375_388_000).unwrap();
    }
    history = history.apply(&mut project, Edit::RejectSuggestion("claim:a-1:0:5".into()), 5).unwrap();
    let extra =
        new_span(&project, SpanId::from("s9"), &project.articles()[3].clone(), 0, 12, &"claim".into(), 6).unwrap();
    history = history.apply(&mut project, Edit::AddSpan(extra), 6).unwrap();
    history = history.apply(&mut project, Edit::RemoveSpan(SpanId::from("s9")), 7).unwrap();
    history = history.undo(&mut project, 8).unwrap().unwrap();
    history = history.undo(&mut project, 9).unwrap().unwrap();
    let position = UiPosition {
        view: View::Compare,
        article: Some(project.articles()[5].id.clone()),
        compare_left: Some(project.articles()[0].id.clone()),
        compare_right: Some(project.articles()[1].id.clone()),
    };
    Projects { annotated: project, bare, position, history }
}

/// A valid document to mutate: its text and, for JSON, its parsed value(s).
struct Seed {
    text: String,
    /// The document (JSON), or one value per line (JSON Lines); empty for plain text.
    values: Vec<Value>,
    lines: bool,
    /// For the upload target: the index in [`UPLOAD_NAMES`] of this seed's natural file name.
    natural_name: usize,
}

fn json_seed(text: String, natural_name: usize) -> Seed {
    let value: Value = serde_json::from_str(&text).expect("seeds are valid JSON");
    Seed { text, values: vec![value], lines: false, natural_name }
}

fn jsonl_seed(text: String) -> Seed {
    let values: Result<Vec<Value>, _> =
        text.lines().filter(|line| !line.trim().is_empty()).map(serde_json::from_str).collect();
    Seed { text, values: values.expect("seed lines are valid JSON"), lines: true, natural_name: 1 }
}

fn text_seed(text: String, natural_name: usize) -> Seed {
    Seed { text, values: Vec::new(), lines: false, natural_name }
}

fn project_seeds(projects: &Projects) -> Vec<Seed> {
    let annotated = &projects.annotated;
    let mut seeds = vec![
        json_seed(project_json::to_json(annotated), 2),
        json_seed(project_json::to_stored_json(annotated, &projects.position, &projects.history, 1_711_375_389_000), 2),
        json_seed(project_json::to_json(&projects.bare), 2),
        json_seed(project_json::to_json(&Project::default()), 2),
    ];
    let mut unicode_only = Project::with_articles(vec![Article::new(UNICODE_ARTICLE, "", "u.txt")]);
    common::tag(&mut unicode_only, "u1", 0, (12, 40), "claim", 1);
    seeds.push(json_seed(project_json::to_json(&unicode_only), 2));
    // Version 0: no schema_version, format, schemas or settings.
    let mut version_zero: Value = serde_json::from_str(&project_json::to_json(annotated)).unwrap();
    if let Some(object) = version_zero.as_object_mut() {
        for key in ["schema_version", "format", "labels", "relation_types", "settings", "relations"] {
            object.remove(key);
        }
    }
    seeds.push(json_seed(version_zero.to_string(), 2));
    seeds.push(json_seed(
        r#"{"articles":[{"id":"a-ba7816bf8f01cfea","title":"ABC","source":"x","text":"abc"}]}"#.to_string(),
        2,
    ));
    seeds
}

fn w3c_seeds(projects: &Projects) -> Vec<Seed> {
    let annotated = &projects.annotated;
    let export = w3c::to_w3c(annotated, 1_711_375_390_000);
    let collection: Value = serde_json::from_str(&export).unwrap();
    let items: Vec<Value> = collection["first"]["items"].as_array().cloned().unwrap_or_default();
    let mut seeds = vec![json_seed(export, 4), json_seed(Value::Array(items.clone()).to_string(), 4)];
    seeds.push(json_seed(
        serde_json::json!({"@context": w3c::CONTEXT, "type": "AnnotationPage", "items": items}).to_string(),
        4,
    ));
    let (head, tail) = items.split_at(items.len() / 2);
    let (middle, last) = tail.split_at(tail.len() / 2);
    seeds.push(json_seed(
        serde_json::to_string_pretty(&serde_json::json!({
            "@context": w3c::CONTEXT, "type": "AnnotationCollection", "items": [head[0].clone()],
            "first": {"type": "AnnotationPage", "items": head,
                      "next": {"type": "AnnotationPage", "items": middle,
                               "next": {"type": "AnnotationPage", "items": last}}}
        }))
        .unwrap(),
        4,
    ));
    for item in items.iter().take(4).chain(items.iter().rev().take(2)) {
        seeds.push(json_seed(item.to_string(), 4));
    }
    // Foreign annotations: by URL, quote only, moved text, a typo, bodies and creators of every
    // shape, links through annotation IRIs and through selectors.
    let first = &annotated.articles()[0];
    let unicode = &annotated.articles()[5];
    let degenerate = &annotated.articles()[7];
    let quote: String = first.text.chars().skip(30).take(45).collect();
    let prefix: String = first.text.chars().skip(10).take(20).collect();
    let typo: String = quote.replacen('e', "ee", 1);
    let foreign = serde_json::json!([
        {"id": "https://example.org/anno/1", "type": "Annotation", "motivation": "tagging",
         "body": [{"type": "TextualBody", "purpose": "tagging", "value": "CLAIM"},
                  {"type": "TextualBody", "purpose": "describing", "value": "kind: numeric"},
                  {"type": "TextualBody", "purpose": "commenting", "value": "from another tool"},
                  {"type": "Image", "id": "https://example.org/x.png"}],
         "creator": {"type": "Person", "nickname": "ed"}, "created": "2024-03-25T16:03:07+02:00",
         "target": {"source": first.url, "selector": [
             {"type": "TextQuoteSelector", "exact": quote, "prefix": prefix},
             {"type": "TextPositionSelector", "start": 33, "end": 78}]}},
        {"id": "https://example.org/anno/2", "motivation": "tagging", "body": {"value": "quote"},
         "bodyValue": "plain note", "creator": "https://example.org/people/ann",
         "target": {"source": {"id": w3c::article_iri(&unicode.id)}, "selector":
             {"type": "TextQuoteSelector", "exact": "we will not go", "prefix": "Later: "}}},
        {"id": "https://example.org/anno/3", "body": {"purpose": ["tagging", "classifying"], "value": "speaker"},
         "target": [{"source": w3c::article_iri(&first.id), "selector":
             {"type": "TextQuoteSelector", "exact": typo, "suffix": "."}}]},
        {"id": "https://example.org/anno/4", "body": {"purpose": "tagging", "value": "claim"},
         "created": "9999-12-31T23:59:59.999Z", "modified": "2024-02-30T00:00:00Z",
         "target": {"source": w3c::article_iri(&unicode.id), "selector":
             {"type": "TextPositionSelector", "start": 70, "end": 80}}},
        {"id": "https://example.org/anno/5", "body": {"purpose": "tagging", "value": "claim"},
         "target": {"source": w3c::article_iri(&degenerate.id), "selector":
             {"type": "TextQuoteSelector", "exact": "xxxxxxxxxx", "prefix": "xxxxx", "suffix": "xxx"}}},
        {"id": "https://example.org/link/1", "motivation": "linking",
         "body": {"purpose": "tagging", "value": "Contradicts"},
         "target": ["https://example.org/anno/1", "https://example.org/anno/2"]},
        {"id": "https://example.org/link/2", "motivation": ["linking"],
         "body": [{"purpose": "tagging", "value": "supports"}, {"purpose": "describing", "value": "kind: x"}],
         "target": [{"source": w3c::article_iri(&unicode.id), "selector":
                        {"type": "TextPositionSelector", "start": 70, "end": 80}},
                    "https://example.org/anno/3"]}
    ]);
    seeds.push(json_seed(foreign.to_string(), 4));
    seeds.push(json_seed(serde_json::to_string_pretty(&foreign[0]).unwrap(), 4));
    seeds
}

fn article_object(article: &Article) -> Value {
    serde_json::json!({
        "text": &*article.text, "title": article.title, "source": article.source,
        "url": article.url, "published": article.published, "id": article.id,
    })
}

fn corpus_json_seeds(projects: &Projects) -> Vec<Seed> {
    let objects: Vec<Value> = projects.bare.articles().iter().take(7).map(|article| article_object(article)).collect();
    vec![
        json_seed(serde_json::to_string_pretty(&objects).unwrap(), 18),
        json_seed(serde_json::json!({"meta": {"a": [1, "]"]}, "articles": objects[4..].to_vec()}).to_string(), 18),
        json_seed(
            "[\n {\"text\": \"One.\", \"title\": \"T\", \"url\": \"https://x\", \"id\": 7},\n {\"text\": \"Two.\", \"published\": \"2024-03-25\", \"source\": null}\n]"
                .to_string(),
            18,
        ),
    ]
}

fn corpus_jsonl_seeds(projects: &Projects) -> Vec<Seed> {
    let lines: Vec<String> =
        projects.bare.articles().iter().take(7).map(|article| article_object(article).to_string()).collect();
    vec![
        jsonl_seed(jsonl::to_jsonl(&projects.annotated)),
        jsonl_seed(lines.join("\n")),
        jsonl_seed("{\"text\": \"One.\"}\n\n{\"text\": \"Two.\", \"source\": \"wire\"}\r\n".to_string()),
        jsonl_seed(
            "{\"text\": \"Three.\", \"title\": null, \"url\": \"https://x\", \"id\": 5, \"spans\": []}\n".to_string(),
        ),
    ]
}

fn corpus_text_seeds() -> Vec<Seed> {
    let mut seeds: Vec<Seed> = DEFAULT_CORPUS_FILES.iter().map(|(_, text)| text_seed(text.to_string(), 0)).collect();
    seeds.push(text_seed(UNICODE_ARTICLE.replace('\n', "\r\n"), 0));
    seeds.push(text_seed(repetitive_article(), 0));
    seeds.push(text_seed("\u{feff}# Big news\r\n\r\nBody.".to_string(), 5));
    seeds.push(text_seed("## \n\n### Heading ###\nText with *emphasis* and [a link](https://x).\r".to_string(), 5));
    seeds.push(text_seed("x".to_string(), 0));
    seeds
}

fn html_seeds(projects: &Projects) -> Vec<Seed> {
    let mut body = String::new();
    for paragraph in projects.bare.articles()[1].text.split('\n').filter(|line| !line.is_empty()).take(6) {
        let _ = writeln!(body, "<p class=\"x\" onclick='go()'>{paragraph}</p>");
    }
    vec![
        text_seed(
            r#"<p>Online one said "onerror=x"</p><img src=x onerror="alert(1)" ONLOAD='y'><a title="a onclick=b">on</a>"#
                .to_string(),
            3,
        ),
        text_seed(
            format!(
                "<!doctype html><html><head><title>Ünïcödé «news»</title><script>onload=1</script></head>\
                 <body onload=\"x()\"><svg/onload=alert(1)><h1 Onmouseover=z>Headline</h1>\n{body}\
                 <div\tonfocus=a\nonblur=b data-on=c>{UNICODE_ARTICLE}</div><img src=\"x\"onerror=y></body></html>"
            ),
            3,
        ),
        text_seed("<a o on=1 one onx  /onY=2 ón=3 'on=4'>".to_string(), 3),
    ]
}

/// Per-thread state: the projects, the seeds of one target and the mutation dictionaries.
struct Fixture {
    projects: Projects,
    seeds: Vec<Seed>,
    strings: Vec<String>,
    numbers: Vec<Value>,
    tokens: Vec<Vec<u8>>,
    article_texts: Vec<Rc<str>>,
}

const KEYS: &[&str] = &[
    "schema_version",
    "format",
    "saved_at",
    "articles",
    "labels",
    "relation_types",
    "spans",
    "relations",
    "settings",
    "tombstones",
    "rejected_suggestions",
    "ui",
    "history",
    "undo",
    "redo",
    "edit",
    "with",
    "group",
    "at",
    "id",
    "title",
    "source",
    "url",
    "published",
    "text",
    "article",
    "start",
    "end",
    "label",
    "label_id",
    "attributes",
    "author",
    "created",
    "modified",
    "type",
    "from",
    "to",
    "kind",
    "note",
    "annotator",
    "name",
    "color",
    "symmetric",
    "kinds",
    "hotkey",
    "key",
    "choices",
    "suggest_from",
    "view",
    "compare_left",
    "compare_right",
    "position",
    "@context",
    "items",
    "first",
    "next",
    "partOf",
    "total",
    "target",
    "body",
    "bodyValue",
    "selector",
    "exact",
    "prefix",
    "suffix",
    "motivation",
    "purpose",
    "value",
    "creator",
    "nickname",
    "scope",
    "refinedBy",
];

const EDGE_STRINGS: &[&str] = &[
    "",
    " ",
    "\t\n",
    "\u{0}",
    "\r",
    "\r\n",
    "\n\n\n",
    "\u{feff}",
    "\u{202e}",
    "\u{202d}\u{202c}",
    "\u{2066}x\u{2069}",
    "\u{200f}",
    "🙂",
    "🇺🇸",
    "👨‍👩‍👧",
    "✊🏽",
    "e\u{301}",
    "\u{301}",
    "\u{301}\u{302}\u{303}\u{304}",
    "\u{fffd}",
    "\u{10ffff}",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "𝔘𝔫𝔦",
    "שלום",
    "سلام",
    "和平",
    "İ",
    "ß",
    "ﬃ",
    "Ⅻ",
    "null",
    "true",
    "0",
    "-1",
    "1e999",
    "claim",
    "Claim",
    "CLAIM",
    "quote",
    "Quote",
    "speaker",
    "Speaker",
    " claim ",
    "supports",
    "contradicts",
    "Contradicts",
    "same-statement",
    "attributed-to",
    "crosscheck-project",
    "Annotation",
    "AnnotationCollection",
    "AnnotationPage",
    "TextQuoteSelector",
    "TextPositionSelector",
    "SpecificResource",
    "TextualBody",
    "Person",
    "tagging",
    "linking",
    "describing",
    "commenting",
    "classifying",
    "kind: numeric",
    "speaker: Joe Biden",
    "note: x",
    ": ",
    "a b: c",
    "http://www.w3.org/ns/anno.jsonld",
    "urn:crosscheck:span:s1",
    "urn:crosscheck:span:s%203%2F%C3%A9",
    "urn:crosscheck:target:s1",
    "urn:crosscheck:target:s4",
    "urn:crosscheck:relation:r1",
    "urn:crosscheck:span:%",
    "urn:crosscheck:span:%zz",
    "urn:crosscheck:span:%FF",
    "urn:crosscheck:article:",
    "urn:crosscheck:article:a-0",
    "https://example.org/news/1",
    "https://example.org/anno/1",
    "2024-03-25T14:03:07.120Z",
    "2024-03-25T16:03:07+02:00",
    "9999-12-31T23:59:59.999Z",
    "0000-01-01T00:00:00Z",
    "2024-02-30T00:00:00Z",
    "2024-03-25T14:03:07+99:99",
    "2024-03-25T14:03:07.9999999999999999999Z",
    "#ff0000",
    "#FFF",
    "#gggggg",
    "add_span",
    "remove_span",
    "update_span",
    "add_relation",
    "remove_relation",
    "update_relation",
    "insert_article",
    "remove_article",
    "update_article_meta",
    "set_labels",
    "set_relation_types",
    "set_settings",
    "reject_suggestion",
    "unreject_suggestion",
    "batch",
    "read",
    "compare",
    "graph",
    "choice",
    "note",
    "s1",
    "s 3/é",
    "r1",
];

/// Raw byte sequences spliced into inputs: JSON syntax, broken numbers and escapes (lone
/// surrogates), invalid UTF-8, line endings, HTML handler syntax.
const RAW_TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\"",
    b"\\",
    b"null",
    b"true",
    b"{}",
    b"[]",
    b"\"\":",
    b",\"text\":\"x\"",
    b"1e999",
    b"-1e999",
    b"18446744073709551616",
    b"-9223372036854775809",
    b"1e-400",
    b"00",
    b"-",
    b"1.",
    b".5",
    b"-0",
    b"0x10",
    b"NaN",
    b"Infinity",
    b"1E+2",
    b"\\ud800",
    b"\\udfff",
    b"\\ud83d\\ude00",
    b"\\ud83d",
    b"\\udc00\\ud800",
    b"\\u0000",
    b"\\u202e",
    b"\\uZZZZ",
    b"\\u00",
    b"\\x41",
    b"\\/",
    b"\xff",
    b"\xfe\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xc0\xaf",
    b"\xe2\x80",
    b"\r\n",
    b"\r",
    b"\n",
    b"\xef\xbb\xbf",
    b"\0",
    b"<",
    b">",
    b"'",
    b" on",
    b" onerror=",
    b"/onload=",
    b" o",
    b"=",
];

impl Fixture {
    fn new(target: Target) -> Fixture {
        let projects = build_projects();
        let seeds = match target {
            Target::ProjectJson => project_seeds(&projects),
            Target::W3c => w3c_seeds(&projects),
            Target::CorpusJsonl => corpus_jsonl_seeds(&projects),
            Target::CorpusJson => corpus_json_seeds(&projects),
            Target::CorpusText => corpus_text_seeds(),
            Target::HtmlDefuse => html_seeds(&projects),
            Target::Upload => {
                let mut all = project_seeds(&projects);
                all.extend(w3c_seeds(&projects));
                all.extend(corpus_jsonl_seeds(&projects));
                all.extend(corpus_json_seeds(&projects));
                all.extend(corpus_text_seeds());
                all.extend(html_seeds(&projects));
                all
            }
        };
        let mut strings: Vec<String> = EDGE_STRINGS.iter().map(|text| text.to_string()).collect();
        let mut numbers: Vec<Value> = Vec::new();
        for integer in [
            0i64,
            1,
            2,
            -1,
            -2,
            3,
            7,
            63,
            64,
            65,
            127,
            128,
            129,
            255,
            256,
            1000,
            4096,
            65_535,
            65_536,
            i64::from(i32::MAX),
            i64::from(u32::MAX),
            i64::MAX,
            i64::MIN,
            1 << 53,
            (1 << 53) + 1,
            -(1 << 53),
            1_711_375_387_000,
            253_402_300_799_999,
            253_402_300_800_000,
            -62_167_219_200_001,
        ] {
            numbers.push(Value::from(integer));
        }
        numbers.push(Value::from(u64::MAX));
        numbers.push(Value::from(1u64 << 63));
        for float in [0.5, -0.0, 1.5, 3.0, 1e300, -1e300, f64::MIN_POSITIVE, 1e-300, 64.0000001] {
            numbers.push(Value::from(float));
        }
        let mut article_texts = Vec::new();
        for article in projects.annotated.articles() {
            let length = article.char_len();
            for number in [length.saturating_sub(1), length, length + 1, article.text.len()] {
                numbers.push(Value::from(number));
            }
            strings.push(w3c::article_iri(&article.id));
            strings.push(article.id.to_string());
            article_texts.push(article.text.clone());
        }
        for span in projects.annotated.spans().values() {
            strings.push(span.text.to_string());
            strings.push(w3c::span_iri(&span.id));
            strings.push(w3c::target_iri(&span.id));
            numbers.push(Value::from(span.start));
            numbers.push(Value::from(span.end));
        }
        let mut tokens: Vec<Vec<u8>> = RAW_TOKENS.iter().map(|token| token.to_vec()).collect();
        tokens.extend(EDGE_STRINGS.iter().map(|text| text.as_bytes().to_vec()));
        tokens.extend(KEYS.iter().map(|key| format!("\"{key}\":").into_bytes()));
        Fixture { projects, seeds, strings, numbers, tokens, article_texts }
    }
}

// ---------------------------------------------------------------------------------------------
// Generation: structure-aware mutations of valid seeds, and random inputs.
// ---------------------------------------------------------------------------------------------

/// The largest input generated: the import dialog refuses bigger files before reading them.
const MAX_INPUT: usize = MAX_IMPORT_BYTES as usize;

/// Keys with these prefixes are written without them: the same key twice in one object.
const DUPLICATE_FIRST: &str = "\u{1}dup\u{1}";
const DUPLICATE_LAST: &str = "\u{7f}dup\u{7f}";

fn generate(target: Target, fixture: &Fixture, rng: &mut Rng) -> Case {
    let mut variant = rng.below(target.variants());
    let roll = rng.below(100);
    let mut input = if roll < 3 {
        random_bytes(rng)
    } else if roll < 6 {
        random_text(rng, fixture)
    } else if roll < 11 && target.is_json() {
        let value = random_json(rng, fixture, 0);
        let mut text = String::new();
        write_json(&value, &mut text, rng.chance(30).then_some(0));
        text.into_bytes()
    } else {
        let seed_index = rng.below(fixture.seeds.len());
        if target == Target::Upload && rng.chance(60) {
            variant = fixture.seeds[seed_index].natural_name;
        }
        mutate_seed(&fixture.seeds[seed_index], fixture, rng)
    };
    input.truncate(MAX_INPUT);
    Case { input, variant }
}

fn mutate_seed(seed: &Seed, fixture: &Fixture, rng: &mut Rng) -> Vec<u8> {
    let structured = !seed.values.is_empty() && rng.chance(70);
    let mut bytes = if structured {
        let mut values = seed.values.clone();
        for _ in 0..rng.rounds(8) {
            // Past the input limit more growth only costs the generator memory (a repeated
            // element repeated again): render what there is, the input is cut at the limit.
            if values.iter().map(json_size).sum::<usize>() > MAX_INPUT {
                break;
            }
            if seed.lines && rng.chance(20) {
                mutate_lines(&mut values, rng, fixture);
            } else if !values.is_empty() {
                let line = rng.below(values.len());
                mutate_value(&mut values[line], rng, fixture);
            }
        }
        render(&values, seed.lines, rng).into_bytes()
    } else {
        seed.text.as_bytes().to_vec()
    };
    if !structured || rng.chance(25) {
        for _ in 0..rng.rounds(10) {
            mutate_bytes(&mut bytes, rng, fixture);
            bytes.truncate(MAX_INPUT);
        }
    }
    bytes
}

/// The length of `value` as compact JSON, without writing it anywhere.
fn json_size(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0.max(1)
}

fn render(values: &[Value], lines: bool, rng: &mut Rng) -> String {
    let mut out = String::new();
    if lines {
        let separator = if rng.chance(15) { "\r\n" } else { "\n" };
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                out.push_str(separator);
                if rng.chance(5) {
                    out.push_str(separator);
                }
            }
            write_json(value, &mut out, None);
        }
        if rng.chance(50) {
            out.push_str(separator);
        }
    } else if let Some(value) = values.first() {
        write_json(value, &mut out, rng.chance(40).then_some(0));
    }
    out
}

/// Serialises like `serde_json`, compact or indented, turning the duplicate-key markers into
/// the same key written twice.
fn write_json(value: &Value, out: &mut String, indent: Option<usize>) {
    let newline = |out: &mut String, depth: usize| {
        if let Some(base) = indent {
            out.push('\n');
            for _ in 0..(base + depth) * 2 {
                out.push(' ');
            }
        }
    };
    match value {
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                newline(out, 1);
                write_json(item, out, indent.map(|base| base + 1));
            }
            if !items.is_empty() {
                newline(out, 0);
            }
            out.push(']');
        }
        Value::Object(object) => {
            out.push('{');
            for (index, (key, item)) in object.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                newline(out, 1);
                let key = key.strip_prefix(DUPLICATE_FIRST).or_else(|| key.strip_prefix(DUPLICATE_LAST)).unwrap_or(key);
                out.push_str(&Value::from(key).to_string());
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_json(item, out, indent.map(|base| base + 1));
            }
            if !object.is_empty() {
                newline(out, 0);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(object) => object.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// The `*index`-th node of `value` in pre-order.
fn nth_node<'v>(value: &'v mut Value, index: &mut usize) -> Option<&'v mut Value> {
    if *index == 0 {
        return Some(value);
    }
    *index -= 1;
    match value {
        Value::Array(items) => {
            for item in items.iter_mut() {
                if let Some(found) = nth_node(item, index) {
                    return Some(found);
                }
            }
        }
        Value::Object(object) => {
            for item in object.values_mut() {
                if let Some(found) = nth_node(item, index) {
                    return Some(found);
                }
            }
        }
        _ => {}
    }
    None
}

fn random_node(value: &Value, rng: &mut Rng) -> Value {
    let mut copy = value.clone();
    let mut index = rng.below(count_nodes(value));
    nth_node(&mut copy, &mut index).map(|node| node.take()).unwrap_or(Value::Null)
}

/// How deep the generator nests values: past `serde_json`'s limit of 128, short of what would
/// overflow the generator's own recursion (`count_nodes`, `write_json`, `Drop`) in a debug build.
const MAX_GENERATED_DEPTH: usize = 300;

fn depth(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(depth).max().unwrap_or(0),
        Value::Object(object) => object.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn count_arrays(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(count_arrays).sum::<usize>(),
        Value::Object(object) => object.values().map(count_arrays).sum(),
        _ => 0,
    }
}

/// The `*index`-th array of `value` in pre-order.
fn nth_array<'v>(value: &'v mut Value, index: &mut usize) -> Option<&'v mut Value> {
    match value {
        Value::Array(_) if *index == 0 => Some(value),
        Value::Array(items) => {
            *index -= 1;
            items.iter_mut().find_map(|item| nth_array(item, index))
        }
        Value::Object(object) => object.values_mut().find_map(|item| nth_array(item, index)),
        _ => None,
    }
}

fn mutate_value(root: &mut Value, rng: &mut Rng, fixture: &Fixture) {
    let room = MAX_GENERATED_DEPTH.saturating_sub(depth(root));
    // Arrays (articles, spans, items, undo steps) are where structure lives: one pick in four
    // is an array, so that repeating and reordering elements is common.
    let arrays = count_arrays(root);
    let node = if arrays > 0 && rng.chance(25) {
        nth_array(root, &mut rng.below(arrays))
    } else {
        nth_node(root, &mut rng.below(count_nodes(root)))
    };
    if let Some(node) = node {
        mutate_node(node, rng, fixture, room);
    }
}

/// A substring of one of the project's articles, cut at code points (an exact quote).
fn article_excerpt(rng: &mut Rng, fixture: &Fixture) -> String {
    let text = rng.pick(&fixture.article_texts);
    let length = text.chars().count();
    let start = rng.below(length);
    let take = 1 + rng.size(200);
    text.chars().skip(start).take(take).collect()
}

fn huge_string(rng: &mut Rng, fixture: &Fixture) -> String {
    let unit = if rng.chance(50) { "x".to_string() } else { rng.pick(&fixture.strings).clone() };
    let count = rng.size(1 << 20) / unit.len().max(1);
    unit.repeat(count.max(1))
}

fn interesting_value(rng: &mut Rng, fixture: &Fixture) -> Value {
    match rng.below(7) {
        0 | 1 => rng.pick(&fixture.numbers).clone(),
        2 | 3 => Value::from(rng.pick(&fixture.strings).as_str()),
        4 => Value::from(article_excerpt(rng, fixture)),
        5 => match rng.below(5) {
            0 => Value::Null,
            1 => Value::Bool(rng.chance(50)),
            2 => Value::Array(Vec::new()),
            3 => Value::Object(Map::new()),
            _ => random_json(rng, fixture, 3),
        },
        _ => Value::from(huge_string(rng, fixture)),
    }
}

fn random_json(rng: &mut Rng, fixture: &Fixture, depth: usize) -> Value {
    if depth >= 5 || rng.chance(35) {
        return interesting_value_leaf(rng, fixture);
    }
    let length = rng.size(8);
    if rng.chance(50) {
        Value::Array((0..length).map(|_| random_json(rng, fixture, depth + 1)).collect())
    } else {
        let mut object = Map::new();
        for _ in 0..length {
            object.insert(rng.pick(KEYS).to_string(), random_json(rng, fixture, depth + 1));
        }
        Value::Object(object)
    }
}

fn interesting_value_leaf(rng: &mut Rng, fixture: &Fixture) -> Value {
    match rng.below(5) {
        0 => rng.pick(&fixture.numbers).clone(),
        1 | 2 => Value::from(rng.pick(&fixture.strings).as_str()),
        3 => Value::from(article_excerpt(rng, fixture)),
        _ => [Value::Null, Value::Bool(true), Value::Bool(false)][rng.below(3)].clone(),
    }
}

/// Inserts `piece` at a char boundary of `text`.
fn insert_at_char(text: &mut String, piece: &str, rng: &mut Rng) {
    let boundaries: Vec<usize> = text.char_indices().map(|(byte, _)| byte).chain([text.len()]).collect();
    let at = *rng.pick(&boundaries);
    text.insert_str(at, piece);
}

fn repeat_count(rng: &mut Rng) -> usize {
    *rng.pick(&[2, 2, 3, 3, 10, 10, 100, 1000, 10_000, 50_000])
}

/// Mutates one node; `room` is how many levels of nesting it may add.
fn mutate_node(node: &mut Value, rng: &mut Rng, fixture: &Fixture, room: usize) {
    match rng.below(15) {
        0 | 1 => *node = interesting_value(rng, fixture),
        2 => swap_type(node, rng),
        3 => match node {
            Value::Object(object) if !object.is_empty() => {
                let key = object.keys().nth(rng.below(object.len())).cloned().unwrap_or_default();
                object.remove(&key);
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(rng.below(items.len()));
            }
            _ => *node = Value::Null,
        },
        4 => match node {
            Value::Object(object) if !object.is_empty() => {
                let key = object.keys().nth(rng.below(object.len())).cloned().unwrap_or_default();
                let value = if rng.chance(50) { object[&key].clone() } else { interesting_value(rng, fixture) };
                let marker = if rng.chance(50) { DUPLICATE_FIRST } else { DUPLICATE_LAST };
                object.insert(format!("{marker}{key}"), value);
            }
            Value::Array(items) if !items.is_empty() => {
                let copy = items[rng.below(items.len())].clone();
                items.insert(rng.below(items.len() + 1), copy);
            }
            _ => *node = interesting_value(rng, fixture),
        },
        5 => match node {
            Value::Array(items) if !items.is_empty() => {
                let copy = items[rng.below(items.len())].clone();
                let count = repeat_count(rng).min(MAX_INPUT / json_size(&copy) + 1);
                let at = rng.below(items.len() + 1);
                items.splice(at..at, std::iter::repeat_n(copy, count));
            }
            Value::String(text) if !text.is_empty() => {
                let count = repeat_count(rng).min(MAX_INPUT / text.len() + 1);
                *text = text.repeat(count);
            }
            _ => *node = Value::from(huge_string(rng, fixture)),
        },
        6 => {
            let depth = (*rng.pick(&[1, 2, 8, 32, 126, 127, 128, 129, 200])).min(room);
            let mut value = node.take();
            for _ in 0..depth {
                value = if rng.chance(50) {
                    Value::Array(vec![value])
                } else {
                    let mut object = Map::new();
                    object.insert(rng.pick(KEYS).to_string(), value);
                    Value::Object(object)
                };
            }
            *node = value;
        }
        7 => match node {
            Value::String(text) => match rng.below(5) {
                0 | 1 => {
                    let piece = rng.pick(&fixture.strings).clone();
                    insert_at_char(text, &piece, rng);
                }
                2 => {
                    let keep = rng.below(text.chars().count() + 1);
                    *text = text.chars().take(keep).collect();
                }
                3 => *text = text.to_uppercase(),
                _ => {
                    // One code point changed: a near miss for quotes and ids.
                    let mut characters: Vec<char> = text.chars().collect();
                    if !characters.is_empty() {
                        let at = rng.below(characters.len());
                        characters[at] = *rng.pick(&['e', 'X', ' ', '\n', 'é', '🙂', '\u{301}', '\u{202e}']);
                    }
                    *text = characters.into_iter().collect();
                }
            },
            _ => *node = Value::from(rng.pick(&fixture.strings).as_str()),
        },
        8 => match node {
            Value::Number(number) => {
                let tweaked = if let Some(integer) = number.as_i64() {
                    match rng.below(9) {
                        0 => Value::from(integer.wrapping_add(1)),
                        1 => Value::from(integer.wrapping_sub(1)),
                        2 => Value::from(integer.wrapping_mul(2)),
                        3 => Value::from(integer.wrapping_neg()),
                        4 => Value::from(integer as f64 + 0.5),
                        5 => Value::from(integer as f64),
                        6 => Value::from(integer.to_string()),
                        7 => Value::from(integer.wrapping_add(64)),
                        _ => Value::from(u64::MAX - rng.below(3) as u64),
                    }
                } else {
                    let float = number.as_f64().unwrap_or(0.0);
                    [Value::from(float.trunc()), Value::from(-float), Value::from(0)][rng.below(3)].clone()
                };
                *node = tweaked;
            }
            _ => *node = rng.pick(&fixture.numbers).clone(),
        },
        9 => {
            let seed = rng.pick(&fixture.seeds);
            if let Some(value) = seed.values.get(rng.below(seed.values.len())) {
                *node = random_node(value, rng);
            }
        }
        10 => match node {
            Value::Object(object) => {
                let value = if rng.chance(60) { interesting_value(rng, fixture) } else { random_json(rng, fixture, 2) };
                object.insert(rng.pick(KEYS).to_string(), value);
            }
            Value::Array(items) => {
                let value = if rng.chance(50) && !items.is_empty() {
                    items[rng.below(items.len())].clone()
                } else {
                    interesting_value(rng, fixture)
                };
                items.insert(rng.below(items.len() + 1), value);
            }
            _ => *node = random_json(rng, fixture, 2),
        },
        11 => match node {
            Value::Object(object) if !object.is_empty() => {
                let key = object.keys().nth(rng.below(object.len())).cloned().unwrap_or_default();
                if let Some(value) = object.remove(&key) {
                    object.insert(rng.pick(KEYS).to_string(), value);
                }
            }
            Value::Array(items) if items.len() > 1 => {
                if rng.chance(50) {
                    items.reverse();
                } else {
                    let (left, right) = (rng.below(items.len()), rng.below(items.len()));
                    items.swap(left, right);
                }
            }
            _ => *node = interesting_value(rng, fixture),
        },
        12 => {
            *node = match node {
                Value::Array(_) => Value::Array(Vec::new()),
                Value::Object(_) => Value::Object(Map::new()),
                Value::String(_) => Value::from(""),
                _ => Value::Null,
            }
        }
        _ => match node {
            Value::String(text) => {
                *text = article_excerpt(rng, fixture);
            }
            Value::Number(_) => {
                let text = rng.pick(&fixture.article_texts);
                *node = Value::from(rng.below(text.chars().count() + 2));
            }
            _ => *node = Value::from(article_excerpt(rng, fixture)),
        },
    }
}

fn swap_type(node: &mut Value, rng: &mut Rng) {
    *node = match node.take() {
        Value::Number(number) => match rng.below(3) {
            0 => Value::from(number.to_string()),
            1 => Value::Bool(rng.chance(50)),
            _ => Value::Array(vec![Value::Number(number)]),
        },
        Value::String(text) => match rng.below(4) {
            0 => text.trim().parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(text.len())),
            1 => Value::Array(vec![Value::String(text)]),
            2 => {
                let mut object = Map::new();
                object.insert("value".to_string(), Value::String(text));
                Value::Object(object)
            }
            _ => Value::Null,
        },
        Value::Bool(flag) => {
            if rng.chance(50) {
                Value::from(flag.to_string())
            } else {
                Value::Number(Number::from(u8::from(flag)))
            }
        }
        Value::Null => [Value::from("null"), Value::from(0), Value::Object(Map::new())][rng.below(3)].clone(),
        Value::Array(items) => match rng.below(3) {
            0 => Value::Object(items.into_iter().enumerate().map(|(index, item)| (index.to_string(), item)).collect()),
            1 => items.into_iter().next().unwrap_or(Value::Null),
            _ => Value::from(items.len()),
        },
        Value::Object(object) => match rng.below(3) {
            0 => Value::Array(object.into_iter().map(|(_, item)| item).collect()),
            1 => object.into_iter().next().map(|(_, item)| item).unwrap_or(Value::Null),
            _ => Value::from(object.keys().cloned().collect::<Vec<_>>().join(",")),
        },
    };
}

fn mutate_lines(values: &mut Vec<Value>, rng: &mut Rng, fixture: &Fixture) {
    if values.is_empty() {
        values.push(random_json(rng, fixture, 1));
        return;
    }
    match rng.below(4) {
        0 => {
            let copy = values[rng.below(values.len())].clone();
            let count = if rng.chance(10) { repeat_count(rng) } else { 1 }.min(MAX_INPUT / json_size(&copy) + 1);
            let at = rng.below(values.len() + 1);
            values.splice(at..at, std::iter::repeat_n(copy, count));
        }
        1 => {
            values.remove(rng.below(values.len()));
        }
        2 => {
            let (left, right) = (rng.below(values.len()), rng.below(values.len()));
            values.swap(left, right);
        }
        _ => values.insert(rng.below(values.len() + 1), random_json(rng, fixture, 1)),
    }
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let length = rng.size(4096);
    let alphabet: &[u8] = match rng.below(3) {
        0 => b"{}[],:\"\\ \n0123456789.-etruanlfx",
        1 => b" \t\r\nabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,;!?'\"<>=/",
        _ => &[],
    };
    (0..length)
        .map(|_| if alphabet.is_empty() { rng.next_u64() as u8 } else { alphabet[rng.below(alphabet.len())] })
        .collect()
}

fn random_text(rng: &mut Rng, fixture: &Fixture) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.size(64) + 1 {
        out.extend_from_slice(rng.pick(&fixture.tokens).as_slice());
    }
    out
}

fn random_position(bytes: &[u8], rng: &mut Rng) -> usize {
    rng.below(bytes.len() + 1)
}

fn mutate_bytes(bytes: &mut Vec<u8>, rng: &mut Rng, fixture: &Fixture) {
    let length = bytes.len();
    match rng.below(14) {
        0 if length > 0 => {
            let at = rng.below(length);
            bytes[at] ^= 1 << rng.below(8);
        }
        1 if length > 0 => {
            let at = rng.below(length);
            bytes[at] = *rng.pick(b"\0\xff\x7f\x80\xc0\"\\{}[],:\n\r <>='0-");
        }
        2 | 3 => {
            let at = random_position(bytes, rng);
            let token = rng.pick(&fixture.tokens).clone();
            bytes.splice(at..at, token);
        }
        4 if length > 0 => {
            let start = rng.below(length);
            let end = start + rng.size(length - start);
            bytes.drain(start..end);
        }
        5 => bytes.truncate(random_position(bytes, rng)),
        6 if length > 0 => {
            let start = rng.below(length);
            let end = start + rng.size((length - start).min(1 << 16));
            let piece = bytes[start..end].to_vec();
            let count = if rng.chance(80) { 1 } else { repeat_count(rng) }.min(MAX_INPUT / piece.len().max(1) + 1);
            let at = random_position(bytes, rng);
            bytes.splice(at..at, piece.repeat(count));
        }
        7 => {
            let other = rng.pick(&fixture.seeds).text.as_bytes();
            let cut = random_position(bytes, rng);
            let from = rng.below(other.len() + 1);
            if rng.chance(50) {
                bytes.truncate(cut);
                bytes.extend_from_slice(&other[from..]);
            } else {
                let mut spliced = other[..from].to_vec();
                spliced.extend_from_slice(&bytes[cut..]);
                *bytes = spliced;
            }
        }
        8 => {
            // A number literal replaced by an out-of-range or malformed one.
            let from = random_position(bytes, rng);
            if let Some(start) = bytes[from..].iter().position(u8::is_ascii_digit).map(|offset| from + offset) {
                let end = bytes[start..].iter().position(|byte| !byte.is_ascii_digit()).map_or(length, |n| start + n);
                let literal = *rng.pick(&[
                    &b"1e999"[..],
                    b"-1e999",
                    b"18446744073709551616",
                    b"18446744073709551615",
                    b"-9223372036854775809",
                    b"9223372036854775807",
                    b"1e-400",
                    b"0.5",
                    b"-0",
                    b"1E+2",
                    b"4.0",
                    b"00",
                    b"-",
                ]);
                bytes.splice(start..end, literal.iter().copied());
            }
        }
        9 => {
            // An escape (lone surrogates among them) just inside a string.
            let from = random_position(bytes, rng);
            if let Some(quote) = bytes[from..].iter().position(|&byte| byte == b'"').map(|offset| from + offset + 1) {
                let escape = *rng.pick(&[
                    &b"\\ud800"[..],
                    b"\\udfff",
                    b"\\ud83d",
                    b"\\udc00\\ud800",
                    b"\\ud83d\\ude00",
                    b"\\u0000",
                    b"\\u202e",
                    b"\\u2028",
                    b"\\r\\n",
                    b"\\r",
                    b"\\uD800\\u0041",
                    b"\\uZZZZ",
                    b"\\",
                ]);
                bytes.splice(quote..quote, escape.iter().copied());
            }
        }
        10 => {
            let at = random_position(bytes, rng);
            let count = 1 + rng.below(16);
            let random: Vec<u8> = (0..count).map(|_| rng.next_u64() as u8).collect();
            bytes.splice(at..at, random);
        }
        11 => match rng.below(4) {
            0 => *bytes = String::from_utf8_lossy(bytes).replace('\n', "\r\n").into_bytes(),
            1 => *bytes = String::from_utf8_lossy(bytes).replace('\n', "\r").into_bytes(),
            2 => {
                bytes.splice(0..0, *b"\xef\xbb\xbf");
            }
            _ => bytes.retain(|&byte| byte != b'\n'),
        },
        12 if length > 1 => {
            let size = rng.size(length / 2).max(1);
            let from = rng.below(length - size + 1);
            let to = rng.below(length - size + 1);
            let piece = bytes[from..from + size].to_vec();
            bytes[to..to + size].copy_from_slice(&piece);
        }
        _ => {
            // A multi-byte character right after an ASCII letter: splits code points apart.
            let at = random_position(bytes, rng);
            let piece = rng.pick(&["é", "🙂", "\u{301}", "ß", "İ", "\u{2028}", "😀😀"]);
            bytes.splice(at..at, piece.bytes());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Checks: run the importer, then the invariants of what it accepted.
// ---------------------------------------------------------------------------------------------

fn check(target: Target, fixture: &Fixture, case: &Case) -> Result<Outcome, Violation> {
    match target {
        Target::ProjectJson => {
            let text = String::from_utf8_lossy(&case.input);
            check_project_json(&text, case.variant == 1)
        }
        Target::W3c => {
            let text = String::from_utf8_lossy(&case.input);
            let project =
                if case.variant.is_multiple_of(2) { &fixture.projects.bare } else { &fixture.projects.annotated };
            check_w3c(&text, project, NOW_VALUES[case.variant / 2 % NOW_VALUES.len()])
        }
        Target::CorpusJsonl => check_corpus(JSONL_NAMES[case.variant % JSONL_NAMES.len()], &case.input),
        Target::CorpusJson => check_corpus(JSON_NAMES[case.variant % JSON_NAMES.len()], &case.input),
        Target::CorpusText => check_corpus(TEXT_NAMES[case.variant % TEXT_NAMES.len()], &case.input),
        Target::Upload => check_upload(UPLOAD_NAMES[case.variant % UPLOAD_NAMES.len()], &case.input, fixture),
        Target::HtmlDefuse => check_defuse(&String::from_utf8_lossy(&case.input)),
    }
}

thread_local! {
    /// Time spent inside the importers on the current input (the checks around them excluded).
    static IMPORT_TIME: Cell<Duration> = const { Cell::new(Duration::ZERO) };
}

/// Runs an importer call, adding its time to [`IMPORT_TIME`].
fn timed<T>(call: impl FnOnce() -> T) -> T {
    let clock = Instant::now();
    let result = call();
    let elapsed = clock.elapsed();
    IMPORT_TIME.with(|total| total.set(total.get() + elapsed));
    result
}

/// Every error must say something and point inside the file.
fn check_error(error: &FormatError, input: &[u8]) -> Result<(), Violation> {
    if error.message.trim().is_empty() || error.to_string().trim().is_empty() {
        return Err(format!("an error without a message: {error:?}"));
    }
    if let Some(line) = error.line {
        let lines = input.iter().filter(|&&byte| byte == b'\n').count() + 1;
        if line == 0 || line > lines {
            return Err(format!("error line {line} is outside the file ({lines} lines): {error}"));
        }
    }
    Ok(())
}

fn check_project_json(text: &str, plain: bool) -> Result<Outcome, Violation> {
    let parsed = if plain {
        timed(|| project_json::from_json(text)).map(|(project, position)| (project, position, History::default()))
    } else {
        timed(|| project_json::from_stored_json(text))
    };
    let (project, position, history) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            check_error(&error, text.as_bytes())?;
            return Ok(Outcome::rejected(&error));
        }
    };
    let json = project_json::to_json(&project);
    let (again, _) =
        project_json::from_json(&json).map_err(|error| format!("its own export does not import again: {error}"))?;
    if again != project {
        return Err("export → import gives a different project".to_string());
    }
    if project_json::to_json(&again) != json {
        return Err("export → import → export is not byte-identical".to_string());
    }
    let stored = project_json::to_stored_json(&project, &position, &history, 42);
    let (restored, restored_position, restored_history) = project_json::from_stored_json(&stored)
        .map_err(|error| format!("its stored copy does not load again: {error}"))?;
    if restored != project || restored_position != position {
        return Err("stored copy → load gives a different project or view".to_string());
    }
    let steps = project_json::STORED_HISTORY_STEPS;
    if restored_history.to_stored(steps) != history.to_stored(steps) {
        return Err("stored copy → load gives a different undo history".to_string());
    }
    let mut tags = vec!["accepted"];
    if !project.spans().is_empty() {
        tags.push("with spans");
    }
    if !project.relations().is_empty() {
        tags.push("with relations");
    }
    if history.can_undo() || history.can_redo() {
        tags.push("with undo history");
    }
    if !text.contains("schema_version") {
        tags.push("migrated from version 0");
    }
    Ok(Outcome::accepted(tags))
}

fn check_w3c(text: &str, project: &Project, now: i64) -> Result<Outcome, Violation> {
    let import = match timed(|| w3c::from_w3c(text, project, now)) {
        Ok(import) => import,
        Err(error) => {
            check_error(&error, text.as_bytes())?;
            return Ok(Outcome::rejected(&error));
        }
    };
    let mut new_ids = BTreeSet::new();
    for span in &import.spans {
        let article = project.article(&span.article).ok_or_else(|| format!("span {} is in no article", span.id))?;
        let found = article.slice(span.start, span.end);
        if span.start >= span.end || found != Some(span.text.as_str()) {
            return Err(format!(
                "span {}: article.slice({}, {}) is {found:?} but span.text is {:?}",
                span.id, span.start, span.end, span.text
            ));
        }
        if project.label(&span.label).is_none() {
            return Err(format!("span {} has the unknown label {:?}", span.id, span.label));
        }
        if project.spans().contains_key(&span.id) || !new_ids.insert(span.id.clone()) {
            return Err(format!("span id {} is used twice", span.id));
        }
    }
    for moved in &import.reanchored {
        let placed =
            import.spans.iter().any(|span| span.id == moved.span && (span.start, span.end) == (moved.start, moved.end));
        if !placed {
            return Err(format!("reanchored {} names no imported span at {}..{}", moved.span, moved.start, moved.end));
        }
    }
    if import.unanchored.iter().any(|item| item.reason.trim().is_empty()) {
        return Err("an unanchored annotation without a reason".to_string());
    }
    let mut tags = vec!["accepted"];
    for (present, tag) in [
        (!import.spans.is_empty(), "imported spans"),
        (!import.relations.is_empty(), "imported links"),
        (!import.unanchored.is_empty(), "reported unanchored"),
        (import.reanchored.iter().any(|moved| moved.method == w3c::AnchorMethod::Quote), "re-anchored by quote"),
        (
            import.reanchored.iter().any(|moved| matches!(moved.method, w3c::AnchorMethod::Fuzzy { .. })),
            "re-anchored fuzzily",
        ),
    ] {
        if present {
            tags.push(tag);
        }
    }
    let mut applied = project.clone();
    applied.apply(import.into_edit(), 0).map_err(|error| format!("the project refuses the import's edit: {error}"))?;
    Ok(Outcome::accepted(tags))
}

fn extension(file_name: &str) -> String {
    file_name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase()).unwrap_or_default()
}

fn check_corpus(file_name: &str, input: &[u8]) -> Result<Outcome, Violation> {
    let articles = match timed(|| parse_corpus_file(file_name, input)) {
        Ok(articles) => articles,
        Err(error) => {
            check_error(&error, input)?;
            if error.file.as_deref() != Some(file_name) {
                return Err(format!("the error does not name the file: {error}"));
            }
            let decoded = std::str::from_utf8(input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input));
            if matches!(extension(file_name).as_str(), "txt" | "text" | "md" | "markdown")
                && decoded.is_ok_and(|text| !text.trim().is_empty())
            {
                return Err(format!("a non-blank UTF-8 text file was refused: {error}"));
            }
            return Ok(Outcome::rejected(&error));
        }
    };
    check_articles(&articles)?;
    let text = std::str::from_utf8(input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input))
        .map_err(|_| "a file that is not UTF-8 was accepted".to_string())?;
    match extension(file_name).as_str() {
        "txt" | "text" | "md" | "markdown" => {
            if articles.len() != 1 || *articles[0].text != normalize_line_endings(text) {
                return Err("a text file did not become one article with the file's text".to_string());
            }
        }
        "jsonl" | "ndjson" => {
            let lines = text.split('\n').filter(|line| !line.trim().is_empty()).count();
            if articles.len() != lines {
                return Err(format!("{lines} non-blank lines gave {} articles", articles.len()));
            }
        }
        _ => {
            let root: Value = serde_json::from_str(text).map_err(|_| "invalid JSON was accepted".to_string())?;
            let list = root.as_array().or_else(|| root.get("articles").and_then(Value::as_array));
            if list.map(Vec::len) != Some(articles.len()) {
                return Err(format!("{} articles from a list of {:?}", articles.len(), list.map(Vec::len)));
            }
        }
    }
    Ok(Outcome::accepted(vec!["accepted", if articles.len() > 1 { "several articles" } else { "one article" }]))
}

fn check_articles(articles: &[Article]) -> Result<(), Violation> {
    if articles.is_empty() {
        return Err("accepted with no article".to_string());
    }
    let mut ids = BTreeSet::new();
    for article in articles {
        if article.text.trim().is_empty() {
            return Err(format!("article {} has blank text", article.id));
        }
        if article.text.contains('\r') {
            return Err(format!("article {} has a CR in its text", article.id));
        }
        if !article.id_matches_text() {
            return Err(format!("article {} has an id that is not the hash of its text", article.id));
        }
        if article.title.trim().is_empty() {
            return Err(format!("article {} has no title", article.id));
        }
        if !ids.insert(article.id.clone()) {
            return Err(format!("article {} appears twice", article.id));
        }
    }
    project_json::validate(
        articles.to_vec(),
        schema::default_labels(),
        schema::default_relation_types(),
        Vec::new(),
        Vec::new(),
    )
    .map_err(|error| format!("a project refuses the articles: {error}"))?;
    Ok(())
}

const DEFUSED: &str = "data-defused-";

fn check_defuse(html: &str) -> Result<Outcome, Violation> {
    let defused = timed(|| defuse_event_handlers(html));
    if defused.replace(DEFUSED, "") != html.replace(DEFUSED, "") {
        return Err("defusing changed more than handler names".to_string());
    }
    if defuse_event_handlers(&defused) != defused {
        return Err("defusing twice changes the result again".to_string());
    }
    Ok(Outcome::accepted(vec![if defused.len() > html.len() { "defused handlers" } else { "nothing to defuse" }]))
}

fn check_upload(file_name: &str, input: &[u8], fixture: &Fixture) -> Result<Outcome, Violation> {
    let kind = match timed(|| classify(file_name, input)) {
        Ok(kind) => kind,
        Err(error) => {
            check_error(&error, input)?;
            if error.file.as_deref() != Some(file_name) {
                return Err(format!("the error does not name the file: {error}"));
            }
            return Ok(Outcome::rejected(&error));
        }
    };
    if input.is_empty() || input.iter().take(8192).any(|&byte| byte == 0) {
        return Err(format!("{kind:?} accepted an empty or binary file"));
    }
    let known = ["txt", "text", "md", "markdown", "jsonl", "ndjson", "html", "htm", "xhtml", "json", "mhtml", "mht"];
    if !known.contains(&extension(file_name).as_str()) {
        return Err(format!("{kind:?} accepted the unknown extension of {file_name}"));
    }
    // Then the importer the dialog would call, on the file as the dialog reads it.
    let utf8 = std::str::from_utf8(input);
    let routed = match (kind, utf8) {
        (FileKind::Corpus, _) => check_corpus(file_name, input)?,
        (FileKind::Mhtml, _) => match timed(|| crosscheck::formats::web_page::page_from_mhtml(input)) {
            Ok(page) => check_defuse(&String::from_utf8_lossy(&page.bytes))?,
            Err(error) => {
                check_error(&error, input)?;
                return Ok(Outcome::rejected(&error));
            }
        },
        (_, Err(_)) => return Ok(Outcome::accepted(vec!["classified, not UTF-8"])),
        (FileKind::Html, Ok(html)) => check_defuse(html)?,
        (FileKind::Project, Ok(json)) => check_project_json(json, true)?,
        (FileKind::W3c, Ok(json)) => check_w3c(json, &fixture.projects.annotated, NOW_VALUES[0])?,
    };
    let tag = match kind {
        FileKind::Corpus => "classified as corpus",
        FileKind::Html => "classified as HTML",
        FileKind::Mhtml => "classified as MHTML",
        FileKind::Project => "classified as project",
        FileKind::W3c => "classified as W3C",
    };
    let mut tags = vec![tag];
    if routed.accepted {
        tags.push("and imported");
    }
    Ok(Outcome { accepted: routed.accepted, tags, reason: routed.reason })
}

// ---------------------------------------------------------------------------------------------
// The campaign: workers, limits, shrinking and the report.
// ---------------------------------------------------------------------------------------------

struct FuzzSettings {
    iterations: u64,
    /// The first case number (the run is `start..start + iterations`).
    start: u64,
    seed: u64,
    threads: usize,
    time_limit: Duration,
    stack_bytes: usize,
    trace: bool,
}

fn env_number(name: &str) -> Option<u64> {
    let raw = std::env::var(name).ok()?;
    let raw = raw.trim().replace('_', "");
    match raw.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => raw.parse().ok(),
    }
}

fn settings() -> FuzzSettings {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let default_limit = if cfg!(debug_assertions) { 20_000 } else { 1_000 };
    FuzzSettings {
        iterations: env_number("CROSSCHECK_FUZZ_ITERATIONS").unwrap_or(if cfg!(debug_assertions) {
            300
        } else {
            2_000
        }),
        start: env_number("CROSSCHECK_FUZZ_START").unwrap_or(0),
        seed: env_number("CROSSCHECK_FUZZ_SEED").unwrap_or(0x00C0_055C_4EC4),
        threads: env_number("CROSSCHECK_FUZZ_THREADS").map_or(cores, |threads| threads.max(1) as usize),
        time_limit: Duration::from_millis(env_number("CROSSCHECK_FUZZ_TIME_LIMIT_MS").unwrap_or(default_limit)),
        stack_bytes: env_number("CROSSCHECK_FUZZ_STACK_KB").unwrap_or(1024) as usize * 1024,
        trace: std::env::var("CROSSCHECK_FUZZ_TRACE").is_ok_and(|value| value == "1"),
    }
}

/// The memory an input may use. Every JSON importer parses into a `serde_json::Value` first,
/// which costs up to ~90 bytes per input byte for a file of tiny objects (a `BTreeMap` node
/// each); that linear cost is allowed, anything worse (a small input allocating a lot) is not.
fn memory_limit(input_len: usize) -> usize {
    64 * 1024 * 1024 + input_len.saturating_mul(128)
}

#[derive(Clone, Debug)]
enum FailureKind {
    Panic(String),
    Violation(String),
    Slow(Duration),
    Memory(usize),
}

#[derive(Clone, Debug)]
struct Failure {
    case_number: u64,
    kind: FailureKind,
    case: Case,
    original_len: usize,
}

#[derive(Default)]
struct Stats {
    runs: u64,
    accepted: u64,
    rejected: u64,
    bytes: u64,
    largest_input: usize,
    slowest: (Duration, u64, usize),
    peak_memory: (usize, u64, usize),
    /// The most memory generating one input took, and the case.
    generator_peak: (usize, u64),
    tags: BTreeMap<&'static str, u64>,
    reasons: BTreeSet<String>,
    failures: Vec<Failure>,
}

impl Stats {
    fn merge(&mut self, other: Stats) {
        self.runs += other.runs;
        self.accepted += other.accepted;
        self.rejected += other.rejected;
        self.bytes += other.bytes;
        self.largest_input = self.largest_input.max(other.largest_input);
        if other.slowest.0 > self.slowest.0 {
            self.slowest = other.slowest;
        }
        if other.peak_memory.0 > self.peak_memory.0 {
            self.peak_memory = other.peak_memory;
        }
        if other.generator_peak.0 > self.generator_peak.0 {
            self.generator_peak = other.generator_peak;
        }
        for (tag, count) in other.tags {
            *self.tags.entry(tag).or_default() += count;
        }
        self.reasons.extend(other.reasons);
        self.failures.extend(other.failures);
    }
}

fn case_seed(seed: u64, target: Target, case_number: u64) -> u64 {
    mix(mix(seed, target.index()), case_number)
}

/// Runs one input: `Err` for a panic (with its message) or a broken invariant.
fn run_input(target: Target, fixture: &Fixture, case: &Case) -> Result<Outcome, FailureKind> {
    IMPORT_TIME.with(|total| total.set(Duration::ZERO));
    QUIET_PANICS.with(|quiet| quiet.set(true));
    LAST_PANIC.with(|last| last.borrow_mut().take());
    let result = panic::catch_unwind(AssertUnwindSafe(|| check(target, fixture, case)));
    QUIET_PANICS.with(|quiet| quiet.set(false));
    match result {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(violation)) => Err(FailureKind::Violation(violation)),
        Err(_) => {
            let message = LAST_PANIC.with(|last| last.borrow_mut().take()).unwrap_or_else(|| "panic".to_string());
            Err(FailureKind::Panic(message))
        }
    }
}

/// Whether `candidate` fails the same way: a panic at the same place, or any broken invariant.
fn fails_alike(target: Target, fixture: &Fixture, candidate: &Case, kind: &FailureKind) -> bool {
    match (run_input(target, fixture, candidate), kind) {
        (Err(FailureKind::Panic(found)), FailureKind::Panic(original)) => {
            found.lines().next() == original.lines().next()
        }
        (Err(FailureKind::Violation(_)), FailureKind::Violation(_)) => true,
        _ => false,
    }
}

/// Shrinks a failing input by deleting ever smaller chunks while it still fails alike.
fn shrink(target: Target, fixture: &Fixture, case: &Case, kind: &FailureKind) -> Case {
    let started = Instant::now();
    let mut best = case.clone();
    let mut chunk = (best.input.len() / 2).max(1);
    while started.elapsed() < Duration::from_secs(30) {
        let mut progress = false;
        let mut at = 0;
        while at < best.input.len() && started.elapsed() < Duration::from_secs(30) {
            let mut candidate = best.clone();
            let end = (at + chunk).min(candidate.input.len());
            candidate.input.drain(at..end);
            if fails_alike(target, fixture, &candidate, kind) {
                best = candidate;
                progress = true;
            } else {
                at += chunk;
            }
        }
        if chunk == 1 && !progress {
            break;
        }
        if !progress {
            chunk = (chunk / 2).max(1);
        }
    }
    best
}

fn show(bytes: &[u8], limit: usize) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => format!("{text:?}"),
        Err(_) => format!("b\"{}\"", bytes.escape_ascii()),
    };
    if text.chars().count() > limit {
        let head: String = text.chars().take(limit).collect();
        format!("{head}… ({} bytes in all)", bytes.len())
    } else {
        text
    }
}

fn worker(target: Target, settings: &FuzzSettings, worker_index: usize) -> Stats {
    install_panic_hook();
    let fixture = Fixture::new(target);
    let mut stats = Stats::default();
    let step = settings.threads as u64;
    let report_every = (settings.iterations / 10).max(1);
    let started = Instant::now();
    let mut case_number = settings.start + worker_index as u64;
    while case_number < settings.start + settings.iterations {
        if settings.trace {
            eprintln!("[fuzz {}] case {case_number}", target.name());
        }
        let mut rng = Rng::new(case_seed(settings.seed, target, case_number));
        let generator_baseline = start_memory_watch();
        let case = generate(target, &fixture, &mut rng);
        let generator_memory = memory_peak_since(generator_baseline);
        if generator_memory > stats.generator_peak.0 {
            stats.generator_peak = (generator_memory, case_number);
        }
        if settings.trace {
            eprintln!("[fuzz {}] case {case_number}: generated {} bytes", target.name(), case.input.len());
        }
        let baseline = start_memory_watch();
        let result = run_input(target, &fixture, &case);
        let mut elapsed = IMPORT_TIME.with(Cell::get);
        let memory = memory_peak_since(baseline);
        if elapsed > settings.time_limit && elapsed < settings.time_limit * 5 {
            // Measure again, so that a pause of the machine is not taken for a slow importer.
            for _ in 0..2 {
                let _ = run_input(target, &fixture, &case);
                elapsed = elapsed.min(IMPORT_TIME.with(Cell::get));
            }
        }
        stats.runs += 1;
        stats.bytes += case.input.len() as u64;
        stats.largest_input = stats.largest_input.max(case.input.len());
        if elapsed > stats.slowest.0 {
            stats.slowest = (elapsed, case_number, case.input.len());
        }
        if memory > stats.peak_memory.0 {
            stats.peak_memory = (memory, case_number, case.input.len());
        }
        let mut failure = None;
        match result {
            Ok(outcome) => {
                if outcome.accepted {
                    stats.accepted += 1;
                } else {
                    stats.rejected += 1;
                }
                for tag in outcome.tags {
                    *stats.tags.entry(tag).or_default() += 1;
                }
                if let Some(reason) = outcome.reason {
                    if stats.reasons.len() < 100_000 {
                        stats.reasons.insert(reason);
                    }
                }
                if elapsed > settings.time_limit {
                    failure = Some(FailureKind::Slow(elapsed));
                } else if memory > memory_limit(case.input.len()) {
                    failure = Some(FailureKind::Memory(memory));
                }
            }
            Err(kind) => failure = Some(kind),
        }
        if let Some(kind) = failure {
            let original_len = case.input.len();
            let shrunk = match &kind {
                FailureKind::Panic(_) | FailureKind::Violation(_) if stats.failures.len() < 5 => {
                    shrink(target, &fixture, &case, &kind)
                }
                _ => case,
            };
            stats.failures.push(Failure { case_number, kind, case: shrunk, original_len });
        }
        if worker_index == 0 && settings.iterations >= 100_000 && (stats.runs * step) % report_every < step {
            let done = stats.runs * step;
            eprintln!(
                "[fuzz {}] {done}/{} inputs, {:.0} s, {} failures so far in this worker",
                target.name(),
                settings.iterations,
                started.elapsed().as_secs_f64(),
                stats.failures.len()
            );
        }
        case_number += step;
    }
    stats
}

fn save_failure(target: Target, failure: &Failure) -> Option<std::path::PathBuf> {
    let directory = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    std::fs::create_dir_all(&directory).ok()?;
    let path = directory.join(format!("{}-{}-v{}.bin", target.name(), failure.case_number, failure.case.variant));
    std::fs::write(&path, &failure.case.input).ok()?;
    Some(path)
}

fn describe(target: Target, settings: &FuzzSettings, failure: &Failure) -> String {
    let kind = match &failure.kind {
        FailureKind::Panic(message) => format!("PANIC: {message}"),
        FailureKind::Violation(message) => format!("INVARIANT BROKEN: {message}"),
        FailureKind::Slow(elapsed) => format!("TOO SLOW: {:.2} s", elapsed.as_secs_f64()),
        FailureKind::Memory(bytes) => format!("TOO MUCH MEMORY: {} MiB", bytes / (1024 * 1024)),
    };
    let saved = save_failure(target, failure).map(|path| path.display().to_string()).unwrap_or_default();
    format!(
        "{} case {} (seed {:#x}, variant {}): {kind}\n  replay: CROSSCHECK_FUZZ_SEED={:#x} CROSSCHECK_FUZZ_CASE={}:{} cargo test --release --test fuzz_importers fuzz_{} -- --nocapture\n  input ({} bytes, {} before shrinking; saved to {saved}): {}",
        target.name(),
        failure.case_number,
        settings.seed,
        failure.case.variant,
        settings.seed,
        target.name(),
        failure.case_number,
        target.name(),
        failure.case.input.len(),
        failure.original_len,
        show(&failure.case.input, 2_000),
    )
}

fn replay(target: Target, settings: &FuzzSettings, case_number: u64) {
    install_panic_hook();
    let fixture = Fixture::new(target);
    let mut rng = Rng::new(case_seed(settings.seed, target, case_number));
    let case = generate(target, &fixture, &mut rng);
    println!("{} case {case_number}, variant {}: {}", target.name(), case.variant, show(&case.input, 20_000));
    if let Ok(path) = std::env::var("CROSSCHECK_FUZZ_DUMP") {
        std::fs::write(&path, &case.input).expect("the input is written");
        println!("input written to {path}");
    }
    let baseline = start_memory_watch();
    let result = run_input(target, &fixture, &case);
    println!(
        "the importer took {:.3} s; peak memory {:.1} MiB",
        IMPORT_TIME.with(Cell::get).as_secs_f64(),
        memory_peak_since(baseline) as f64 / (1024.0 * 1024.0)
    );
    match result {
        Ok(outcome) => println!(
            "{} {:?} {}",
            if outcome.accepted { "accepted" } else { "rejected" },
            outcome.tags,
            outcome.reason.unwrap_or_default()
        ),
        Err(kind) => panic!("{kind:?}"),
    }
}

/// Measures every input that was over the time limit again, alone (the workers have finished,
/// so nothing else of this test competes for the cores), best of three. Only inputs still over
/// the limit stay failures; the others, slow only while the machine was busy, become notes.
fn confirm_slow_inputs(target: Target, settings: &FuzzSettings, stats: &mut Stats) -> Vec<String> {
    if !stats.failures.iter().any(|failure| matches!(failure.kind, FailureKind::Slow(_))) {
        return Vec::new();
    }
    install_panic_hook();
    let fixture = Fixture::new(target);
    let mut notes = Vec::new();
    stats.failures.retain(|failure| {
        let FailureKind::Slow(busy) = failure.kind else { return true };
        let alone = (0..3)
            .map(|_| {
                let _ = run_input(target, &fixture, &failure.case);
                IMPORT_TIME.with(Cell::get)
            })
            .min()
            .unwrap_or(busy);
        let confirmed = alone > settings.time_limit;
        if !confirmed {
            notes.push(format!(
                "case {} ({} bytes) took {:.2} s while the machine was busy, {:.2} s alone: not counted",
                failure.case_number,
                failure.case.input.len(),
                busy.as_secs_f64(),
                alone.as_secs_f64()
            ));
        }
        confirmed
    });
    notes
}

fn campaign(target: Target) {
    let settings = settings();
    if let Ok(only) = std::env::var("CROSSCHECK_FUZZ_CASE") {
        if let Some((name, number)) = only.split_once(':') {
            if name == target.name() {
                let case_number = number.trim().parse().expect("a case number");
                std::thread::scope(|scope| {
                    let settings = &settings;
                    std::thread::Builder::new()
                        .stack_size(settings.stack_bytes)
                        .spawn_scoped(scope, move || replay(target, settings, case_number))
                        .expect("a thread starts")
                        .join()
                        .expect("the case passes");
                });
            }
            return;
        }
    }
    let started = Instant::now();
    let mut stats = Stats::default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..settings.threads)
            .map(|worker_index| {
                let settings = &settings;
                std::thread::Builder::new()
                    .name(format!("fuzz-{}-{worker_index}", target.name()))
                    .stack_size(settings.stack_bytes)
                    .spawn_scoped(scope, move || worker(target, settings, worker_index))
                    .expect("a worker thread starts")
            })
            .collect();
        for handle in handles {
            stats.merge(handle.join().expect("a worker finishes"));
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let notes = confirm_slow_inputs(target, &settings, &mut stats);
    let tags: Vec<String> = stats.tags.iter().map(|(tag, count)| format!("{tag} {count}")).collect();
    println!(
        "fuzz {}: {} inputs ({} accepted, {} rejected) in {seconds:.1} s ({:.0}/s, {} threads, seed {:#x}); \
         {} failures; slowest {:.1} ms (case {}, {} bytes); peak memory {:.1} MiB (case {}, {} bytes; generator {:.1} MiB, case {}); \
         mean input {} bytes, largest {}; {} distinct rejection reasons; {}",
        target.name(),
        stats.runs,
        stats.accepted,
        stats.rejected,
        stats.runs as f64 / seconds.max(1e-9),
        settings.threads,
        settings.seed,
        stats.failures.len(),
        stats.slowest.0.as_secs_f64() * 1000.0,
        stats.slowest.1,
        stats.slowest.2,
        stats.peak_memory.0 as f64 / (1024.0 * 1024.0),
        stats.peak_memory.1,
        stats.peak_memory.2,
        stats.generator_peak.0 as f64 / (1024.0 * 1024.0),
        stats.generator_peak.1,
        stats.bytes / stats.runs.max(1),
        stats.largest_input,
        stats.reasons.len(),
        tags.join(", "),
    );
    for note in &notes {
        println!("  {note}");
    }
    assert_eq!(stats.runs, settings.iterations, "every case ran");
    if !stats.failures.is_empty() {
        stats.failures.sort_by_key(|failure| failure.case_number);
        let report: Vec<String> =
            stats.failures.iter().take(20).map(|failure| describe(target, &settings, failure)).collect();
        panic!("{} of {} inputs failed:\n\n{}", stats.failures.len(), stats.runs, report.join("\n\n"));
    }
}

#[test]
fn fuzz_project_json() {
    campaign(Target::ProjectJson);
}

#[test]
fn fuzz_w3c() {
    campaign(Target::W3c);
}

#[test]
fn fuzz_corpus_jsonl() {
    campaign(Target::CorpusJsonl);
}

#[test]
fn fuzz_corpus_json() {
    campaign(Target::CorpusJson);
}

#[test]
fn fuzz_corpus_text() {
    campaign(Target::CorpusText);
}

#[test]
fn fuzz_upload() {
    campaign(Target::Upload);
}

#[test]
fn fuzz_html_defuse() {
    campaign(Target::HtmlDefuse);
}

/// The generator itself: deterministic per case, and its mutations really produce what they
/// promise (duplicate keys, valid seeds).
#[test]
fn generator_is_deterministic_and_seeds_are_valid() {
    for target in TARGETS {
        let fixture = Fixture::new(target);
        for case_number in [0, 1, 999] {
            let seed = case_seed(7, target, case_number);
            let first = generate(target, &fixture, &mut Rng::new(seed));
            let second = generate(target, &fixture, &mut Rng::new(seed));
            assert_eq!((first.input, first.variant), (second.input, second.variant));
        }
    }
    let projects = build_projects();
    for seed in project_seeds(&projects) {
        assert!(
            check_project_json(&seed.text, false).is_ok_and(|outcome| outcome.accepted),
            "{}",
            show(seed.text.as_bytes(), 300)
        );
    }
    for (index, seed) in w3c_seeds(&projects).iter().enumerate() {
        let outcome = check_w3c(&seed.text, &projects.bare, 0).expect("a valid W3C seed");
        assert!(outcome.accepted, "{}", show(seed.text.as_bytes(), 300));
        assert!(index > 0 || outcome.tags.contains(&"imported links"), "the full export imports spans and links");
    }
    for seed in corpus_jsonl_seeds(&projects) {
        assert!(check_corpus("c.jsonl", seed.text.as_bytes()).is_ok_and(|outcome| outcome.accepted));
    }
    for seed in corpus_json_seeds(&projects) {
        assert!(check_corpus("c.json", seed.text.as_bytes()).is_ok_and(|outcome| outcome.accepted));
    }
    for seed in corpus_text_seeds() {
        assert!(check_corpus("c.md", seed.text.as_bytes()).is_ok_and(|outcome| outcome.accepted));
    }
    let mut object = Map::new();
    object.insert("a".to_string(), Value::from(1));
    object.insert(format!("{DUPLICATE_LAST}a"), Value::from(2));
    let mut written = String::new();
    write_json(&Value::Object(object), &mut written, None);
    assert_eq!(written, r#"{"a":1,"a":2}"#);
}
