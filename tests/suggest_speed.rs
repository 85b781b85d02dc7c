#![cfg(not(target_arch = "wasm32"))]
//! How long the suggesters take on a generated 50,000-word article (the benchmark size), whole
//! and in chunks, and across articles. Prints the best of three runs; fails only when far over budget.
//! Speed is proved by benchmarks that print figures, not by timed tests, so this is ignored in
//! the test run: `cargo test --release --test suggest_speed -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use crosscheck::domain::article::Article;
use crosscheck::domain::corpus::default_articles;
use crosscheck::domain::suggest::{
    suggest_across, suggest_for_article, suggest_for_paragraphs, Suggestion, SuggestionKind,
};

/// A 50,000-word article made of the sample articles' and the extra texts' paragraphs, each
/// numbered so that no two paragraphs are identical.
fn benchmark_article(words: usize, seed: usize) -> Article {
    let mut sources: Vec<String> = default_articles().iter().map(|article| article.text.to_string()).collect();
    let extra = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gold-extra");
    for entry in std::fs::read_dir(extra).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|extension| extension == "txt") {
            sources.push(std::fs::read_to_string(path).expect("text"));
        }
    }
    let paragraphs: Vec<&str> =
        sources.iter().flat_map(|text| text.split('\n')).filter(|line| !line.trim().is_empty()).collect();
    let mut text = String::new();
    let mut count = 0;
    let mut index = seed;
    while count < words {
        let paragraph = paragraphs[index % paragraphs.len()];
        text.push_str(&format!("Update {index}: {paragraph}\n\n"));
        count += paragraph.split_whitespace().count() + 2;
        index += 7;
    }
    Article::new(&text, "", &format!("benchmark-{seed}.txt"))
}

/// The result and the best time of three runs (the machine may be busy with other work).
fn timed<T>(mut work: impl FnMut() -> T) -> (T, Duration) {
    let mut best = Duration::MAX;
    let mut result = None;
    for _ in 0..3 {
        let started = Instant::now();
        result = Some(work());
        best = best.min(started.elapsed());
    }
    (result.expect("ran"), best)
}

fn count(suggestions: &[Suggestion], kind: SuggestionKind) -> usize {
    suggestions.iter().filter(|suggestion| suggestion.kind == kind).count()
}

#[test]
#[ignore = "a benchmark: run with --ignored --nocapture"]
fn fifty_thousand_words_are_processed_quickly() {
    let article = benchmark_article(50_000, 0);
    let started = Instant::now();
    let _ = article.paragraphs().len();
    let layout = started.elapsed();
    let (suggestions, whole) = timed(|| suggest_for_article(&article));
    let paragraphs = article.paragraphs().len();
    let (chunked, chunks) = timed(|| {
        let mut all = Vec::new();
        let mut start = 0;
        while start < paragraphs {
            all.extend(suggest_for_paragraphs(&article, start..(start + 25).min(paragraphs)));
            start += 25;
        }
        all
    });
    let (first_chunk, one_chunk) = timed(|| suggest_for_paragraphs(&article, 400..425));
    let samples = default_articles();
    let mut articles: Vec<&Article> = samples.iter().collect();
    articles.push(&article);
    let mut proposed = suggestions.clone();
    for sample in &samples {
        proposed.extend(suggest_for_article(sample));
    }
    let (links, across) = timed(|| suggest_across(&articles, &[], &proposed));
    let second = benchmark_article(50_000, 3);
    let second_suggestions = suggest_for_article(&second);
    let mut both = suggestions.clone();
    both.extend(second_suggestions);
    let (big_links, across_big) = timed(|| suggest_across(&[&article, &second], &[], &both));

    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    println!("\nSuggester timing ({profile} build, {} words, {paragraphs} paragraphs):", article.word_count());
    println!("  layout (paragraphs, index)             {:>8.1} ms", layout.as_secs_f64() * 1e3);
    println!(
        "  suggest_for_article                    {:>8.1} ms  ({} quotes, {} speakers, {} numeric claims)",
        whole.as_secs_f64() * 1e3,
        count(&suggestions, SuggestionKind::Quote),
        count(&suggestions, SuggestionKind::Speaker),
        count(&suggestions, SuggestionKind::NumericClaim)
    );
    println!(
        "  suggest_for_paragraphs, 25 at a time   {:>8.1} ms  in total ({} suggestions)",
        chunks.as_secs_f64() * 1e3,
        chunked.len()
    );
    println!(
        "  suggest_for_paragraphs, one chunk      {:>8.1} ms  ({} suggestions)",
        one_chunk.as_secs_f64() * 1e3,
        first_chunk.len()
    );
    println!(
        "  suggest_across, 5 samples + benchmark  {:>8.1} ms  ({} links)",
        across.as_secs_f64() * 1e3,
        links.len()
    );
    println!(
        "  suggest_across, two benchmark articles {:>8.1} ms  ({} links)\n",
        across_big.as_secs_f64() * 1e3,
        big_links.len()
    );

    assert!(article.word_count() >= 45_000);
    let budget = if cfg!(debug_assertions) { Duration::from_secs(20) } else { Duration::from_millis(1_000) };
    assert!(whole < budget, "suggest_for_article took {whole:?}");
    assert!(across < budget * 2 && across_big < budget * 3, "suggest_across took {across:?} / {across_big:?}");
}
