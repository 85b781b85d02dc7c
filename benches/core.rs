//! Native benchmarks of Crosscheck's hot core paths on the benchmark corpus (50,000 words, 10,000
//! spans, 2,000 relations; see `benches/support/corpus.rs`).
//!
//! ```sh
//! cargo bench --bench core            # the full corpus; prints a table of median / p95 / min
//! cargo bench --bench core -- --small # a tenth of it
//! ```
//!
//! No framework: each case runs for at least `MIN_RUNS` runs and about `TARGET_TIME`, timed with
//! `std::time::Instant`, and its result goes through `std::hint::black_box`. `cargo bench` uses
//! the release profile (opt-level "z", like the shipped wasm), so the figures are what the same
//! code costs natively; in Chromium the wasm build is typically 1.5 to 2.5 times slower.
//! Without `--bench` (as under `cargo test --benches`) it runs each case once on the small corpus.

#[path = "support/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crosscheck::domain::annotation::{Span, SpanId};
use crosscheck::domain::graph::{clusters, consistency_warning_count, consistency_warnings};
use crosscheck::domain::history::History;
use crosscheck::domain::project::{new_span, Edit};
use crosscheck::domain::segments::{segment_paragraph, spans_by_paragraph};
use crosscheck::domain::state::{AppAction, AppState, Selection};
use crosscheck::domain::story::picture::lay_out;
use crosscheck::domain::story::StoryMatrix;
use crosscheck::domain::text::{char_to_utf16_offset, snap_to_words, utf16_to_char_offset, TextIndex};
use crosscheck::formats::{brat, csv, jsonl, nli, project_json, w3c};

const MIN_RUNS: usize = 5;
const TARGET_TIME: Duration = Duration::from_millis(700);

struct Bench {
    quick: bool,
    rows: Vec<(String, String, usize, f64, f64, f64)>,
}

impl Bench {
    /// Times `routine`, printing and recording one row; `note` says what one run does.
    fn run<T>(&mut self, name: &str, note: &str, mut routine: impl FnMut() -> T) {
        let mut samples = Vec::new();
        let started = Instant::now();
        loop {
            let start = Instant::now();
            black_box(routine());
            samples.push(start.elapsed().as_secs_f64() * 1e3);
            let enough = if self.quick { true } else { samples.len() >= MIN_RUNS && started.elapsed() >= TARGET_TIME };
            if enough || samples.len() >= 10_000 {
                break;
            }
        }
        samples.sort_by(f64::total_cmp);
        let percentile = |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1];
        let row = (name.to_string(), note.to_string(), samples.len(), percentile(0.5), percentile(0.95), samples[0]);
        println!("| {:<34} | {:>6} | {:>10.3} | {:>10.3} | {:>10.3} | {} |", row.0, row.2, row.3, row.4, row.5, row.1);
        self.rows.push(row);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = !args.iter().any(|arg| arg == "--bench");
    let spec = if quick || args.iter().any(|arg| arg == "--small") {
        corpus::CorpusSpec::small()
    } else {
        corpus::CorpusSpec::default()
    };
    let started = Instant::now();
    let corpus = corpus::generate(&spec);
    let project = corpus.project;
    let position = corpus.position;
    let big = project.articles()[0].clone();
    println!(
        "Crosscheck native benchmarks: {} words, {} paragraphs, {} spans in the big article; {} spans, {} relations \
         in all (corpus generated in {:.0} ms){}",
        big.word_count(),
        big.paragraphs().len(),
        project.spans_in_article(&big.id).len(),
        project.spans().len(),
        project.relations().len(),
        started.elapsed().as_secs_f64() * 1e3,
        if quick { "; quick mode: one run each" } else { "" },
    );
    println!();
    println!(
        "| {:<34} | {:>6} | {:>10} | {:>10} | {:>10} | one run |",
        "case", "runs", "median ms", "p95 ms", "min ms"
    );
    println!("|{:-<36}|{:->8}|{:->12}|{:->12}|{:->12}|---------|", "", "", "", "", "");
    let mut bench = Bench { quick, rows: Vec::new() };

    // --- highlight segmentation ---------------------------------------------------------------
    let sorted = project.spans_in_article(&big.id);
    bench.run("spans_in_article (big)", "filter + sort the article's spans", || project.spans_in_article(&big.id));
    bench.run("spans_by_paragraph (big)", "bucket sorted spans by paragraph", || {
        spans_by_paragraph(big.paragraphs(), &sorted)
    });
    let buckets = spans_by_paragraph(big.paragraphs(), &sorted);
    bench.run("segment every paragraph (big)", "all runs of the whole article", || {
        big.paragraphs()
            .iter()
            .zip(&buckets)
            .map(|(paragraph, spans)| segment_paragraph(*paragraph, spans).len())
            .sum::<usize>()
    });
    let busiest = (0..buckets.len()).max_by_key(|index| buckets[*index].len()).unwrap_or(0);
    bench.run("segment one paragraph (busiest)", "the paragraph a tag re-renders", || {
        segment_paragraph(big.paragraphs()[busiest], &buckets[busiest])
    });

    // --- offset mapping ----------------------------------------------------------------------
    bench.run("TextIndex::new (big)", "code-point index of 50k words", || TextIndex::new(&big.text));
    bench.run("slice every span (big)", "code points -> bytes, per span", || {
        sorted.iter().map(|span| big.slice(span.start, span.end).map_or(0, str::len)).sum::<usize>()
    });
    let index = &big.layout().index;
    let probes: Vec<(usize, usize)> = sorted.iter().step_by(100).map(|span| (span.start, span.end)).collect();
    bench.run("snap_to_words x100", "a selection snapped to words", || {
        probes.iter().filter_map(|(start, end)| snap_to_words(&big.text, index, start + 1, end - 1)).count()
    });
    let paragraph_texts: Vec<&str> =
        big.paragraphs().iter().filter_map(|paragraph| big.slice(paragraph.start, paragraph.end)).collect();
    bench.run("utf16 <-> code points, per paragraph", "both ways at each paragraph's end", || {
        paragraph_texts
            .iter()
            .map(|text| {
                let units = char_to_utf16_offset(text, usize::MAX);
                utf16_to_char_offset(text, units)
            })
            .sum::<usize>()
    });

    // --- the reducer -------------------------------------------------------------------------
    let state = AppState::new(project.clone(), position.clone());
    let target = sorted[sorted.len() / 2].clone();
    let fresh_span = |id: &str| -> Span {
        let paragraph = big.paragraphs()[big.paragraphs().len() / 3];
        new_span(&project, SpanId::from(id), &big, paragraph.start, paragraph.start + 5, &"claim".into(), 1)
            .expect("span")
    };
    bench.run("reduce: add a span (tag)", "AppState::reduce(EditAndSelect)", || {
        state.reduce(AppAction::EditAndSelect {
            edit: Edit::AddSpan(fresh_span("s-bench")),
            now: 2,
            select: Selection::Span(SpanId::from("s-bench")),
        })
    });
    let tagged = state.reduce(AppAction::Edit { edit: Edit::AddSpan(fresh_span("s-bench")), now: 2 });
    bench.run("reduce: undo", "AppState::reduce(Undo)", || tagged.reduce(AppAction::Undo { now: 3 }));
    {
        // The reader's list of the article's spans after each edit (`ui::reader::use_article_spans`),
        // over a chain of versions each one edit after the one before (tag, undo, tag, …: what
        // the app sees, so the changes come from the edits' trail).
        let mut versions = vec![state.project.clone()];
        let mut walker = state.clone();
        for step in 0..500 {
            let id = format!("s-chain-{step}");
            walker = walker.reduce(AppAction::Edit { edit: Edit::AddSpan(fresh_span(&id)), now: 10 + step });
            versions.push(walker.project.clone());
            walker = walker.reduce(AppAction::Undo { now: 11 + step });
            versions.push(walker.project.clone());
        }
        let mut recent = crosscheck::domain::segments::RecentArticleSpans::new(4, 64);
        let mut at = 0;
        bench.run("reading order after an edit", "patch + drop the old list (the app drops it after paint)", || {
            at = (at + 1) % versions.len();
            if at == 0 {
                recent = crosscheck::domain::segments::RecentArticleSpans::new(4, 64);
            }
            let project = &versions[at];
            let spans = recent.spans_of(project, &big.id, || project.spans_in_article(&big.id));
            (spans.len(), recent.take_replaced().lists.len())
        });
    }
    bench.run("reduce: select a span", "AppState::reduce(SelectSpan)", || {
        state.reduce(AppAction::SelectSpan(Some(target.id.clone())))
    });
    bench.run("span_counts", "spans per article (article list)", || project.span_counts());
    bench.run("consistency_warning_count", "the header's warning count", || consistency_warning_count(&project));
    bench.run("consistency_warnings", "the claim graph's warning list", || consistency_warnings(&project).len());
    bench.run("clusters", "claim graph components", || clusters(&project).len());
    bench.run("story matrix: build", "StoryMatrix::build", || StoryMatrix::build(&project).rows.len());
    bench.run("graph picture: lay out", "picture::lay_out, fjadra per cluster", || {
        lay_out(&project, 1600.0).nodes.len()
    });

    // --- serialisation -----------------------------------------------------------------------
    let mut history = History::default();
    let mut edited = project.clone();
    for step in 0..100 {
        let mut span = fresh_span(&format!("s-history-{step}"));
        let paragraph = big.paragraphs()[step * big.paragraphs().len() / 100];
        span = Span { start: paragraph.start, end: paragraph.start + 3, ..span };
        span.text = big.span_text(span.start, span.end).unwrap_or_default();
        history = history.apply(&mut edited, Edit::AddSpan(span), 10 + step as i64).expect("history step");
    }
    let json = project_json::to_json(&project);
    let stored = project_json::to_stored_json(&edited, &position, &history, 0);
    bench.run("project JSON: serialise", "project_json::to_json", || project_json::to_json(&project));
    bench.run("stored JSON: serialise (+100 undo)", "to_stored_json, what autosave writes", || {
        project_json::to_stored_json(&edited, &position, &history, 0)
    });
    bench.run("stored JSON: parse + validate", "from_stored_json, what start-up reads", || {
        project_json::from_stored_json(&stored).map(|(project, _, _)| project.spans().len())
    });
    // Storage version 2: the project as one document per item, what a reload parses.
    let v2 = crosscheck::formats::stored::migrate::from_v1(&stored, 0).expect("v2 documents");
    let documents: std::collections::BTreeMap<String, String> =
        v2.plan.writes.iter().filter_map(|write| Some((write.id.clone(), write.json.clone()?))).collect();
    let texts = crosscheck::formats::stored::migrate::texts_of(&v2.project);
    bench.run("stored v2: documents -> project", "stored::load::load, a reload's build", || {
        crosscheck::formats::stored::load::load(&documents, &texts).map(|loaded| loaded.project.spans().len())
    });

    // --- exports -----------------------------------------------------------------------------
    bench.run("export: project JSON", "to_json", || project_json::to_json(&project).len());
    bench.run("export: JSONL", "jsonl::to_jsonl", || jsonl::to_jsonl(&project).len());
    bench.run("export: CSV", "csv::to_csv", || csv::to_csv(&project).len());
    bench.run("export: W3C Web Annotation", "w3c::to_w3c", || w3c::to_w3c(&project, 0).len());
    bench.run("export: brat zip", "brat::to_brat_zip", || brat::to_brat_zip(&project, 0).map(|zip| zip.len()));
    bench.run("export: NLI pairs", "nli::to_nli_jsonl", || nli::to_nli_jsonl(&project, 1.0).len());
    // Suggestions: what the browser runs in chunks of 40 paragraphs, and the cross-article pass.
    bench.run("suggest: one 40-paragraph chunk (big)", "suggest_for_paragraphs, one chunk", || {
        crosscheck::domain::suggest::suggest_for_paragraphs(&big, 0..40.min(big.paragraphs().len())).len()
    });
    bench.run("suggest: whole big article", "suggest_for_article", || {
        crosscheck::domain::suggest::suggest_for_article(&big).len()
    });
    bench.run("suggest: whole corpus", "suggest_all (per article + across)", || {
        crosscheck::domain::suggest::suggest_all(&project).len()
    });

    println!();
    let spans = project.spans().len().max(1);
    let empty = project.without_annotations();
    let base = project_json::to_json(&empty).encode_utf16().count();
    let units = json.encode_utf16().count();
    let per_span = (units - base) as f64 / spans as f64;
    let quota = 5 * 1024 * 1024;
    println!(
        "project JSON: {} bytes UTF-8, {} UTF-16 units; without spans and relations {} units; {:.1} units per span \
         (relations included); {} spans fit in {} units",
        json.len(),
        units,
        base,
        per_span,
        ((quota - base.min(quota)) as f64 / per_span) as usize,
        quota,
    );
    println!("stored JSON with 100 undo steps: {} UTF-16 units", stored.encode_utf16().count());
    let _ = Rc::strong_count(&big);
}
