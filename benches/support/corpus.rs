//! The benchmark corpus: a deterministic, realistic project at newsroom scale (one 50,000-word article with 10,000 spans).
//!
//! One 50,000-word article with 10,000 spans (a fifth of them added on top of the others as
//! nested or crossing spans, all three labels) and four 5,000-word articles with a few spans each,
//! joined by 2,000 relations of every type, many of them across articles. Everything comes from
//! one seeded SplitMix64, so the same seed gives byte-identical JSON on every machine.
//!
//! Shared by `examples/bench_corpus.rs` (writes the JSON the browser benchmark loads) and
//! `benches/core.rs` (the native benchmarks), through `#[path]` modules.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crosscheck::domain::annotation::{base36, Relation, RelationId, Span, SpanId};
use crosscheck::domain::article::Article;
use crosscheck::domain::project::{new_relation, new_span, Project, ProjectParts};
use crosscheck::domain::schema::{ATTRIBUTED_TO, CONTRADICTS, SAME_STATEMENT, SUPPORTS};
use crosscheck::domain::state::{UiPosition, View};

/// The seed of the published figures.
pub const DEFAULT_SEED: u64 = 0x00C0_55C4_ECC0_2024;
/// 2024-03-26 00:00 UTC, the creation time of the first span.
pub const BASE_TIME: i64 = 1_711_411_200_000;

/// Sizes of the corpus.
#[derive(Clone, Copy, Debug)]
pub struct CorpusSpec {
    pub seed: u64,
    pub big_words: usize,
    pub big_spans: usize,
    /// The share of the big article's spans added over others (nested or crossing).
    pub overlap_share: f64,
    pub small_articles: usize,
    pub small_words: usize,
    pub small_spans: usize,
    pub relations: usize,
}

impl Default for CorpusSpec {
    fn default() -> CorpusSpec {
        CorpusSpec {
            seed: DEFAULT_SEED,
            big_words: 50_000,
            big_spans: 10_000,
            overlap_share: 0.2,
            small_articles: 4,
            small_words: 5_000,
            small_spans: 50,
            relations: 2_000,
        }
    }
}

impl CorpusSpec {
    /// The capacity corpus of the storage issue: 200 articles, 1,000,000 words, 20,000 spans,
    /// 4,000 relations (the big article as in the default corpus, and 199 articles of 4,774 words
    /// with 50 spans each).
    pub fn large() -> CorpusSpec {
        CorpusSpec { small_articles: 199, small_words: 4_774, small_spans: 50, relations: 4_000, ..Self::default() }
    }

    /// A corpus a tenth of the size, for smoke runs.
    pub fn small() -> CorpusSpec {
        CorpusSpec {
            big_words: 5_000,
            big_spans: 1_000,
            small_words: 1_000,
            small_spans: 10,
            relations: 200,
            ..Self::default()
        }
    }
}

/// SplitMix64: tiny, fast, and good enough to make text look random.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound > 0`).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    /// A number in `low..=high`.
    pub fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    pub fn chance(&mut self, probability: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= probability
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const ORGANISATIONS: &[&str] = &[
    "The ministry",
    "The central bank",
    "The city council",
    "Health officials",
    "The statistics office",
    "The opposition",
    "The European Commission",
    "Union leaders",
    "The World Health Organization",
    "Police",
    "The U.N. agency",
    "Economists at Nordbank",
];
const SAYS: &[&str] = &["said", "reported", "announced", "warned", "estimated", "confirmed", "claimed", "insisted"];
const METRICS: &[&str] = &[
    "unemployment",
    "inflation",
    "the number of displaced people",
    "hospital admissions",
    "the deficit",
    "rents in the capital",
    "wheat exports",
    "turnout",
    "emissions",
    "the price of diesel",
    "aid deliveries",
    "the death toll",
];
const MOVES: &[&str] = &["rose to", "fell to", "climbed to", "dropped to", "reached", "stayed at", "doubled to"];
const NUMBERS: &[&str] = &[
    "7.2 percent",
    "1.4 million",
    "37 %",
    "2,300",
    "€4.5 billion",
    "£120 million",
    "$3.1 trillion",
    "12,000 tonnes",
    "68 per cent",
    "a record 412",
    "nearly 90,000",
    "½ of the total",
];
const WHEN: &[&str] = &[
    "in March",
    "last year",
    "since 2019",
    "over the weekend",
    "in the first quarter",
    "by Monday",
    "this month",
    "before the ceasefire",
];
const NAMES: &[&str] = &[
    "John Kirby",
    "Maria Santos",
    "José Núñez",
    "Zoë Lefèvre",
    "Lars Øberg",
    "Ayşe Yılmaz",
    "Amira Haddad",
    "Nguyễn Văn An",
    "Peter O'Neill",
    "Dr. Ingrid Walther",
    "Kwame Mensah",
    "Chen Wei",
    "Fatima Al-Sayed",
    "Olena Kovalenko",
];
const ROLES: &[&str] = &[
    "a government spokesman",
    "the finance minister",
    "a senior analyst",
    "the mayor",
    "an aid worker",
    "a union representative",
    "the agency's director",
    "a local resident",
];
const QUOTE_WORDS: &[&str] = &[
    "we",
    "are",
    "very",
    "disappointed",
    "that",
    "they",
    "will",
    "not",
    "be",
    "coming",
    "to",
    "the",
    "talks",
    "this",
    "is",
    "a",
    "non-binding",
    "resolution",
    "there",
    "no",
    "impact",
    "at",
    "all",
    "on",
    "our",
    "ability",
    "continue",
    "nobody",
    "expected",
    "numbers",
    "so",
    "high",
    "it",
    "was",
    "mistake",
    "people",
    "deserve",
    "answers",
    "now",
    "plan",
    "has",
    "been",
    "clear",
    "from",
    "start",
    "can't",
    "accept",
    "that's",
    "simply",
    "wrong",
    "figures",
    "speak",
    "for",
    "themselves",
    "every",
    "family",
    "here",
    "knows",
    "what",
    "happened",
    "last",
    "winter",
];
const NARRATIVE_WORDS: &[&str] = &[
    "the",
    "government",
    "said",
    "on",
    "Tuesday",
    "that",
    "new",
    "measures",
    "would",
    "take",
    "effect",
    "after",
    "parliament",
    "approved",
    "budget",
    "despite",
    "protests",
    "in",
    "several",
    "cities",
    "where",
    "thousands",
    "gathered",
    "outside",
    "offices",
    "of",
    "regional",
    "authorities",
    "while",
    "critics",
    "argued",
    "plan",
    "lacked",
    "detail",
    "and",
    "funding",
    "for",
    "schools",
    "hospitals",
    "roads",
    "analysts",
    "expect",
    "further",
    "talks",
    "between",
    "both",
    "sides",
    "next",
    "week",
    "although",
    "no",
    "date",
    "has",
    "been",
    "set",
    "officials",
    "declined",
    "to",
    "comment",
    "report",
    "published",
    "by",
    "independent",
    "researchers",
    "found",
    "evidence",
    "delays",
    "at",
    "border",
    "crossings",
    "residents",
    "described",
    "long",
    "queues",
    "shortages",
    "fuel",
    "water",
    "electricity",
    "during",
    "cold",
    "snap",
    "early",
    "this",
    "year",
    "café",
    "naïve",
    "façade",
    "coöperation",
];
const EMOJI: &[&str] = &["📈", "🙂", "⚠️", "🇪🇺", "👍🏽"];

/// Where a sentence's quote and speaker are, as word-index ranges (end exclusive).
#[derive(Clone, Debug, Default)]
struct Sentence {
    words: (usize, usize),
    quote: Option<(usize, usize)>,
    speaker: Option<(usize, usize)>,
}

/// Builds text while recording each word's code-point range.
#[derive(Default)]
struct TextBuilder {
    text: String,
    chars: usize,
    words: Vec<(usize, usize)>,
    sentences: Vec<Sentence>,
}

impl TextBuilder {
    fn raw(&mut self, piece: &str) {
        self.text.push_str(piece);
        self.chars += piece.chars().count();
    }

    /// Appends space-separated words, each recorded; returns their word-index range.
    fn words(&mut self, phrase: &str) -> (usize, usize) {
        let first = self.words.len();
        for (index, word) in phrase.split(' ').enumerate() {
            if index > 0 {
                self.raw(" ");
            }
            let start = self.chars;
            self.raw(word);
            self.words.push((start, self.chars));
        }
        (first, self.words.len())
    }

    fn word_count(&self) -> usize {
        self.words.len()
    }
}

fn capitalise(word: &str) -> String {
    let mut characters = word.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}

fn quote_text(rng: &mut Rng) -> String {
    let length = rng.range(5, 16);
    let words: Vec<&str> = (0..length).map(|_| rng.pick(QUOTE_WORDS)).collect();
    capitalise(&words.join(" "))
}

fn sentence(builder: &mut TextBuilder, rng: &mut Rng) {
    let first_word = builder.word_count();
    let mut info = Sentence::default();
    match rng.below(10) {
        // A numeric statement: "The ministry said unemployment rose to 7.2 percent in March."
        0..=2 => {
            builder.words(rng.pick(ORGANISATIONS));
            builder.raw(" ");
            builder.words(rng.pick(SAYS));
            builder.raw(" ");
            builder.words(rng.pick(METRICS));
            builder.raw(" ");
            builder.words(rng.pick(MOVES));
            builder.raw(" ");
            builder.words(rng.pick(NUMBERS));
            builder.raw(" ");
            builder.words(rng.pick(WHEN));
            builder.raw(".");
        }
        // A direct quote, speaker after: "“…,” said Maria Santos, the mayor."
        3..=5 => {
            builder.raw("“");
            info.quote = Some(builder.words(&quote_text(rng)));
            builder.raw(",” ");
            builder.words(rng.pick(&["said", "said on Tuesday", "added", "wrote"]));
            builder.raw(" ");
            info.speaker = Some(builder.words(rng.pick(NAMES)));
            builder.raw(", ");
            builder.words(rng.pick(ROLES));
            builder.raw(".");
        }
        // Speaker first: "Amira Haddad said: “…”"
        6..=7 => {
            info.speaker = Some(builder.words(rng.pick(NAMES)));
            builder.raw(" ");
            builder.words(rng.pick(&["said:", "told the BBC:", "insisted:"]));
            builder.raw(" “");
            info.quote = Some(builder.words(&quote_text(rng)));
            builder.raw(".”");
        }
        // Narrative prose.
        _ => {
            let length = rng.range(8, 22);
            for index in 0..length {
                if index > 0 {
                    builder.raw(if rng.chance(0.08) { ", " } else { " " });
                }
                let word = rng.pick(NARRATIVE_WORDS);
                builder.words(&if index == 0 { capitalise(word) } else { word.to_string() });
            }
            builder.raw(".");
            if rng.chance(0.03) {
                builder.raw(" ");
                builder.words(rng.pick(EMOJI));
            }
        }
    }
    info.words = (first_word, builder.word_count());
    builder.sentences.push(info);
}

/// Text of about `words` words in paragraphs of 60 to 120 words, separated by blank lines.
fn article_text(rng: &mut Rng, title: &str, words: usize) -> TextBuilder {
    let mut builder = TextBuilder::default();
    builder.raw(title);
    builder.raw("\n\n");
    let mut first_paragraph = true;
    while builder.word_count() < words {
        if !first_paragraph {
            builder.raw("\n\n");
        }
        first_paragraph = false;
        let target = builder.word_count() + rng.range(60, 120);
        let mut first_sentence = true;
        while builder.word_count() < target.min(words) {
            if !first_sentence {
                builder.raw(" ");
            }
            first_sentence = false;
            sentence(&mut builder, rng);
        }
    }
    builder.raw("\n");
    builder
}

/// A candidate span before it gets an id: word range, label and the sentence it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Candidate {
    words: (usize, usize),
    label: &'static str,
    sentence: usize,
}

/// Disjoint spans over every sentence: the speaker, the quote, and claims over short runs of
/// the remaining words. Produces more than needed; the caller samples.
fn primary_candidates(builder: &TextBuilder, rng: &mut Rng) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    for (index, sentence) in builder.sentences.iter().enumerate() {
        let taken = |word: usize| {
            [sentence.quote, sentence.speaker].iter().flatten().any(|(start, end)| (*start..*end).contains(&word))
        };
        let mut word = sentence.words.0;
        let mut pieces = Vec::new();
        while word < sentence.words.1 {
            if let Some((start, end)) = sentence.quote.filter(|(start, _)| *start == word) {
                pieces.push(Candidate { words: (start, end), label: "quote", sentence: index });
                word = end;
                continue;
            }
            if let Some((start, end)) = sentence.speaker.filter(|(start, _)| *start == word) {
                pieces.push(Candidate { words: (start, end), label: "speaker", sentence: index });
                word = end;
                continue;
            }
            word += rng.range(0, 1);
            let mut end = word;
            let length = rng.range(1, 5);
            while end < sentence.words.1 && end - word < length && !taken(end) {
                end += 1;
            }
            if end > word {
                pieces.push(Candidate { words: (word, end), label: "claim", sentence: index });
                word = end;
            } else {
                word += 1;
            }
        }
        candidates.extend(pieces);
    }
    candidates.sort_by_key(|candidate| candidate.words);
    candidates
}

/// Keeps `count` of `items` chosen uniformly, in their order (selection sampling).
fn sample<T: Copy>(rng: &mut Rng, items: &[T], count: usize) -> Vec<T> {
    let mut kept = Vec::with_capacity(count);
    for (index, item) in items.iter().enumerate() {
        let needed = count - kept.len();
        if needed == 0 {
            break;
        }
        if rng.below(items.len() - index) < needed {
            kept.push(*item);
        }
    }
    kept
}

/// Keeps `count` primaries: every quote and speaker (up to half of `count`), claims for the rest,
/// so that the labels are mixed as in a real article rather than as in the candidate list.
fn stratified(rng: &mut Rng, primaries: &[Candidate], count: usize) -> Vec<Candidate> {
    let (claims, others): (Vec<Candidate>, Vec<Candidate>) =
        primaries.iter().partition(|candidate| candidate.label == "claim");
    let others = sample(rng, &others, others.len().min(count / 2));
    let claims = sample(rng, &claims, (count - others.len()).min(claims.len()));
    let mut kept: Vec<Candidate> = others.into_iter().chain(claims).collect();
    kept.sort_by_key(|candidate| candidate.words);
    assert_eq!(kept.len(), count, "not enough candidates");
    kept
}

/// Spans added over the primaries: nested inside one, enclosing a whole sentence, or crossing
/// one's end.
fn overlap_candidates(builder: &TextBuilder, primaries: &[Candidate], count: usize, rng: &mut Rng) -> Vec<Candidate> {
    let mut seen: BTreeSet<(usize, usize)> = primaries.iter().map(|candidate| candidate.words).collect();
    let mut used_sentences = BTreeSet::new();
    let mut added = Vec::new();
    let mut attempts = 0;
    while added.len() < count && attempts < count * 50 {
        attempts += 1;
        let base = rng.pick(primaries);
        let (start, end) = base.words;
        let sentence = &builder.sentences[base.sentence];
        let candidate = match rng.below(10) {
            // Nested inside: a number or a phrase within a quote or a claim.
            0..=3 if end - start >= 2 => {
                let inner_start = rng.range(start, end - 1);
                let inner_end = rng.range(inner_start + 1, end.min(inner_start + 3));
                if (inner_start, inner_end) == (start, end) {
                    continue;
                }
                Candidate { words: (inner_start, inner_end), label: "claim", sentence: base.sentence }
            }
            // Enclosing: the whole sentence as one claim, over everything tagged inside it.
            4..=6 if used_sentences.insert(base.sentence) => {
                Candidate { words: sentence.words, label: "claim", sentence: base.sentence }
            }
            // Crossing: from inside this span to a few words past its end.
            _ if end - start >= 2 && end < sentence.words.1 => {
                let cross_start = rng.range(start + 1, end - 1);
                let cross_end = rng.range(end + 1, sentence.words.1.min(end + 3));
                let label = if rng.chance(0.3) { "quote" } else { "claim" };
                Candidate { words: (cross_start, cross_end), label, sentence: base.sentence }
            }
            _ => continue,
        };
        if seen.insert(candidate.words) {
            added.push(candidate);
        }
    }
    added
}

/// What the generator made, for the benchmark's report.
#[derive(Clone, Debug, Default)]
pub struct CorpusStats {
    pub big_words: usize,
    pub big_paragraphs: usize,
    pub big_spans: usize,
    pub overlapping_spans: usize,
    pub spans_by_label: BTreeMap<String, usize>,
    pub small_words: Vec<usize>,
    pub total_spans: usize,
    pub relations_by_type: BTreeMap<String, usize>,
    pub cross_article_relations: usize,
}

pub struct Corpus {
    pub project: Project,
    /// Opens the big article in the reader.
    pub position: UiPosition,
    pub stats: CorpusStats,
}

/// An id shaped like the app's (`s-<time>-<random>`), unique by construction.
fn make_id(prefix: &str, time: i64, rng: &mut Rng, serial: usize) -> String {
    let random = rng.next_u64() % 2_176_782_336;
    format!("{prefix}-{}-{}{}", base36(time as u64), base36(random), base36(serial as u64))
}

/// Fills a span's attributes with varied values, as an annotator would.
fn vary_attributes(span: &mut Span, speaker_text: Option<&str>, rng: &mut Rng) {
    let choose = |rng: &mut Rng, options: &[&str]| rng.pick(options).to_string();
    match span.label.as_str() {
        "claim" => {
            span.attributes.insert("kind", choose(rng, &["factual", "numeric", "causal", "prediction", "opinion"]));
            span.attributes.insert("check_worthy", choose(rng, &["yes", "no"]));
            span.attributes.insert(
                "verdict",
                choose(rng, &["unverified", "unverified", "accurate", "inaccurate", "misleading", "unsupported"]),
            );
            if rng.chance(0.05) {
                span.attributes.insert("note", "Check against the ministry's release.".into());
            }
        }
        "quote" => {
            if let Some(speaker) = speaker_text.filter(|_| rng.chance(0.7)) {
                span.attributes.insert("speaker", speaker.to_string());
            }
            span.attributes.insert("form", choose(rng, &["direct", "direct", "indirect", "partial"]));
            if rng.chance(0.3) {
                span.attributes.insert("cue", choose(rng, &["said", "told", "insisted", "wrote"]));
            }
        }
        "speaker" if rng.chance(0.3) => {
            span.attributes.insert("canonical", span.text.trim_start_matches("Dr. ").to_string());
        }
        _ => {}
    }
}

/// Changes `project` through its parts: the generator builds a project as a loader does, with
/// no undo step per span (the parts are moved, not copied, since nothing else shares them).
fn with_parts<T>(project: &mut Project, change: impl FnOnce(&mut ProjectParts) -> T) -> T {
    let mut parts = std::mem::take(project).into_parts();
    let result = change(&mut parts);
    *project = Project::from_parts(parts);
    result
}

/// Turns candidates into spans of `article` (ids, times, attributes) and adds them to the project.
fn add_spans(
    project: &mut Project,
    article: &Rc<Article>,
    builder: &TextBuilder,
    candidates: &[Candidate],
    rng: &mut Rng,
    serial: &mut usize,
) -> Vec<(SpanId, Candidate)> {
    let mut made = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let start = builder.words[candidate.words.0].0;
        let end = builder.words[candidate.words.1 - 1].1;
        let time = BASE_TIME + *serial as i64 * 7_919;
        let id = SpanId::from(make_id("s", time, rng, *serial));
        *serial += 1;
        let Some(mut span) = new_span(project, id.clone(), article, start, end, &candidate.label.into(), time) else {
            panic!("candidate {start}..{end} is outside the article");
        };
        let speaker_text = builder.sentences[candidate.sentence].speaker.map(|(first, last)| {
            let (start, end) = (builder.words[first].0, builder.words[last - 1].1);
            article.slice(start, end).unwrap_or_default().to_string()
        });
        vary_attributes(&mut span, speaker_text.as_deref(), rng);
        span.author = rng.pick(&["anonymous", "editor-1", "editor-2", "fact-desk"]).to_string();
        with_parts(project, |parts| parts.spans.insert(id.clone(), Rc::new(span)));
        made.push((id, *candidate));
    }
    made
}

/// Generates the corpus described by `spec`.
pub fn generate(spec: &CorpusSpec) -> Corpus {
    let mut rng = Rng::new(spec.seed);
    let big_builder =
        article_text(&mut rng, "Benchmark Gazette: a year of claims, counter-claims and quotes", spec.big_words);
    let big = Article::new(&big_builder.text, "", "bench/big-50000-words.txt");
    let small_builders: Vec<TextBuilder> = (0..spec.small_articles)
        .map(|index| {
            let title = format!("Benchmark Courier {}: the same story, told again", index + 1);
            article_text(&mut rng, &title, spec.small_words)
        })
        .collect();
    let smalls: Vec<Article> = small_builders
        .iter()
        .enumerate()
        .map(|(index, builder)| Article::new(&builder.text, "", &format!("bench/small-{}.txt", index + 1)))
        .collect();
    let mut articles = vec![big];
    articles.extend(smalls);
    let mut project = Project::with_articles(articles);
    with_parts(&mut project, |parts| parts.settings.annotator = "bench".to_string());

    // The big article: primaries sampled down, then the overlapping share on top.
    let overlap_count = (spec.big_spans as f64 * spec.overlap_share).round() as usize;
    let primaries = primary_candidates(&big_builder, &mut rng);
    assert!(
        primaries.len() >= spec.big_spans - overlap_count,
        "only {} primary candidates for {} spans: raise the density",
        primaries.len(),
        spec.big_spans - overlap_count
    );
    let kept = stratified(&mut rng, &primaries, spec.big_spans - overlap_count);
    let overlaps = overlap_candidates(&big_builder, &kept, overlap_count, &mut rng);
    assert_eq!(overlaps.len(), overlap_count, "could not place every overlapping span");
    let mut serial = 0;
    let big_article = project.articles()[0].clone();
    let mut all_big: Vec<Candidate> = kept.iter().chain(overlaps.iter()).copied().collect();
    all_big.sort_by_key(|candidate| candidate.words);
    let big_spans = add_spans(&mut project, &big_article, &big_builder, &all_big, &mut rng, &mut serial);
    let mut spans_by_article = vec![big_spans];
    for (index, builder) in small_builders.iter().enumerate() {
        let article = project.articles()[index + 1].clone();
        let primaries = primary_candidates(builder, &mut rng);
        let kept = sample(&mut rng, &primaries, spec.small_spans.min(primaries.len()));
        spans_by_article.push(add_spans(&mut project, &article, builder, &kept, &mut rng, &mut serial));
    }

    let relations = make_relations(&mut project, &spans_by_article, spec.relations, &mut rng);
    let _ = relations;

    let mut stats = CorpusStats {
        big_words: project.articles()[0].word_count(),
        big_paragraphs: project.articles()[0].paragraphs().len(),
        big_spans: spans_by_article[0].len(),
        overlapping_spans: overlap_count,
        small_words: project.articles()[1..].iter().map(|article| article.word_count()).collect(),
        total_spans: project.spans().len(),
        ..CorpusStats::default()
    };
    for span in project.spans().values().filter(|span| span.article == project.articles()[0].id) {
        *stats.spans_by_label.entry(span.label.to_string()).or_default() += 1;
    }
    for relation in project.relations().values() {
        *stats.relations_by_type.entry(relation.relation_type.to_string()).or_default() += 1;
        let article_of = |id: &SpanId| project.spans().get(id).map(|span| span.article.clone());
        if article_of(&relation.from) != article_of(&relation.to) {
            stats.cross_article_relations += 1;
        }
    }
    let position =
        UiPosition { view: View::Read, article: Some(project.articles()[0].id.clone()), ..UiPosition::default() };
    Corpus { project, position, stats }
}

/// Relations of every type: quotes attributed to the speaker of their sentence, quotes that are
/// the same statement, and claims that contradict or support each other, often across articles.
fn make_relations(
    project: &mut Project,
    spans_by_article: &[Vec<(SpanId, Candidate)>],
    count: usize,
    rng: &mut Rng,
) -> usize {
    let mut keys: BTreeSet<(String, SpanId, SpanId)> = BTreeSet::new();
    let mut serial = 0;
    let of_label = |label: &str| -> Vec<Vec<SpanId>> {
        spans_by_article
            .iter()
            .map(|spans| {
                spans.iter().filter(|(_, candidate)| candidate.label == label).map(|(id, _)| id.clone()).collect()
            })
            .collect()
    };
    let claims = of_label("claim");
    let quotes = of_label("quote");
    // Speakers of the big article by sentence.
    let speaker_of_sentence: BTreeMap<usize, SpanId> = spans_by_article[0]
        .iter()
        .filter(|(_, candidate)| candidate.label == "speaker")
        .map(|(id, candidate)| (candidate.sentence, id.clone()))
        .collect();
    let attributed: Vec<(SpanId, SpanId)> = spans_by_article[0]
        .iter()
        .filter(|(_, candidate)| candidate.label == "quote")
        .filter_map(|(id, candidate)| {
            speaker_of_sentence.get(&candidate.sentence).map(|speaker| (id.clone(), speaker.clone()))
        })
        .collect();
    let mut add = |project: &mut Project, kind: &str, from: SpanId, to: SpanId, rng: &mut Rng| -> bool {
        if from == to {
            return false;
        }
        let key = if kind == ATTRIBUTED_TO || from < to {
            (kind.to_string(), from.clone(), to.clone())
        } else {
            (kind.to_string(), to.clone(), from.clone())
        };
        if !keys.insert(key) {
            return false;
        }
        let time = BASE_TIME + 86_400_000 + serial as i64 * 15_013;
        let id = RelationId::from(make_id("r", time, rng, serial));
        serial += 1;
        let mut relation: Relation = new_relation(project, id.clone(), &kind.into(), from, to, time);
        if kind == CONTRADICTS {
            let kind = rng.pick(&["numeric", "factual", "attribution", "framing", "timeline", ""]);
            relation.kind = (!kind.is_empty()).then(|| kind.to_string());
        }
        if rng.chance(0.1) {
            relation.note = "Figures differ between the two reports.".to_string();
        }
        with_parts(project, |parts| parts.relations.insert(id, Rc::new(relation)));
        true
    };
    // A random span of `pool`, from the big article two times in three, else from a small one.
    let pick_from = |pool: &[Vec<SpanId>], rng: &mut Rng| -> Option<SpanId> {
        let article = if pool.len() > 1 && rng.chance(0.34) { rng.range(1, pool.len() - 1) } else { 0 };
        let spans = &pool[article];
        (!spans.is_empty()).then(|| spans[rng.below(spans.len())].clone())
    };
    let mut made = 0;
    let attributed_target = count * 2 / 5;
    for (quote, speaker) in
        sample(rng, &(0..attributed.len()).collect::<Vec<_>>(), attributed_target.min(attributed.len()))
            .into_iter()
            .map(|index| attributed[index].clone())
    {
        if add(project, ATTRIBUTED_TO, quote, speaker, rng) {
            made += 1;
        }
    }
    let mut attempts = 0;
    while made < count && attempts < count * 100 {
        attempts += 1;
        let (kind, pool) = match rng.below(10) {
            0..=1 => (SAME_STATEMENT, &quotes),
            2..=6 => (CONTRADICTS, &claims),
            _ => (SUPPORTS, &claims),
        };
        let (Some(from), Some(to)) = (pick_from(pool, rng), pick_from(pool, rng)) else { continue };
        if add(project, kind, from, to, rng) {
            made += 1;
        }
    }
    assert_eq!(made, count, "could not place every relation");
    made
}

/// A stored version-1 project document of about `spans` spans (several groups of documents once
/// migrated), and how many spans it has: the migration tests' input.
pub fn v1_document(spans: usize) -> (String, usize) {
    let spec = CorpusSpec {
        big_words: spans * 5,
        big_spans: spans,
        small_words: spans / 2,
        relations: spans / 5,
        ..CorpusSpec::default()
    };
    let corpus = generate(&spec);
    let json = crosscheck::formats::project_json::to_stored_json(
        &corpus.project,
        &corpus.position,
        &crosscheck::domain::history::History::default(),
        1,
    );
    (json, corpus.project.spans().len())
}
