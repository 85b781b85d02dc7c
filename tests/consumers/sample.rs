//! The annotated sample project the consumer checks run on: the five default articles plus a
//! sixth with emoji, flags, a ZWJ family, skin tones, Hebrew, Arabic, CJK, CRLF input and cells
//! that look like spreadsheet formulas; overlapping spans, spans across line breaks, and links
//! within and across articles of all four types.
//!
//! Shared by `examples/write_exports.rs` and `tests/formats_sample.rs` through `#[path]`.

use crosscheck::domain::annotation::{RelationId, SpanId};
use crosscheck::domain::article::Article;
use crosscheck::domain::corpus::default_articles;
use crosscheck::domain::project::{new_relation, new_span, Edit, Project, Settings};

/// The sixth article, as it might arrive from a Windows machine (CRLF on one line).
pub const EMOJI_ARTICLE: &str = "Fact-check 🧐: Kirby said the vote was \"non-binding\" 🇺🇸🇮🇱.\n\n\
Families 👨‍👩‍👧 rallied in Tel Aviv — שלום, سلام, 和平. Café owners said \"enough\" ✊🏽.\r\n\
-5% turnout was reported; =SUM(A1) is not a formula.\n\
Combining: e\u{301}te\u{301} — \u{2028}after a line separator.\n";

/// A second annotator (an email address, as Label Studio names its users) made these spans and
/// the link r-01, so that exports grouped by author have two authors in one article.
pub const SECOND_AUTHOR: &str = "ben@example.org";
const SECOND_AUTHOR_SPANS: &[&str] = &["s-13", "s-15"];

/// The time every sample span and link was made (2024-03-25T14:03:07Z).
pub const SAMPLE_TIME: i64 = 1_711_375_387_000;

/// Spans: (id, article index, phrase, occurrence of the phrase (0 = first), label, attributes).
type SpanSpec = (&'static str, usize, &'static str, usize, &'static str, &'static [(&'static str, &'static str)]);

const SPANS: &[SpanSpec] = &[
    ("s-01", 0, "Benjamin Netanyahu", 0, "speaker", &[("canonical", "Benjamin Netanyahu")]),
    (
        "s-02",
        0,
        "Biden's administration failed to veto a U.N. resolution calling for a cease-fire in Gaza",
        0,
        "claim",
        &[("kind", "factual"), ("check_worthy", "yes")],
    ),
    (
        "s-03",
        0,
        "\"The US did not veto today the new text that calls for a ceasefire without the condition of releasing the abductees,\"",
        0,
        "quote",
        &[("speaker", "Netanyahu's office"), ("form", "direct"), ("cue", "said")],
    ),
    ("s-04", 0, "The US did not veto today", 0, "claim", &[("note", "Nested inside the quote s-03."), ("verdict", "accurate")]),
    (
        "s-05",
        0,
        "allowing the resolution to pass.\n\n\"The US did not veto",
        0,
        "claim",
        &[("note", "=1+1 crosses a paragraph break\tand looks like a formula")],
    ),
    (
        "s-06",
        0,
        "This is a clear withdrawal from the US's consistent position in the Security Council since the beginning of the war",
        0,
        "claim",
        &[],
    ),
    (
        "s-11",
        1,
        "We're very disappointed that they will not be coming to Washington DC",
        0,
        "quote",
        &[("speaker", "John Kirby"), ("form", "direct"), ("cue", "told")],
    ),
    ("s-12", 1, "John Kirby", 0, "speaker", &[("canonical", "John Kirby")]),
    (
        "s-13",
        1,
        "This is a non-binding resolution",
        0,
        "claim",
        &[("kind", "factual"), ("verdict", "misleading"), ("note", "See the UN Charter.")],
    ),
    ("s-15", 1, "'perplexed'", 0, "quote", &[("form", "partial"), ("speaker", "US officials")]),
    ("s-14", 1, "all Security Council resolutions are binding under international law", 0, "claim", &[]),
    ("s-21", 2, "the other 14 members of the 15-strong council voted yes", 0, "claim", &[("kind", "numeric")]),
    (
        "s-31",
        3,
        "This is a clear retreat from the consistent position of the United States at the Security Council since the beginning of the war",
        0,
        "claim",
        &[],
    ),
    ("s-32", 3, "harming his war effort.\nAs Israel's war", 0, "claim", &[("kind", "causal")]),
    (
        "s-41",
        4,
        "We are very disappointed that they will not come to Washington",
        0,
        "quote",
        &[("speaker", "John Kirby"), ("form", "direct")],
    ),
    ("s-51", 5, "the vote was \"non-binding\" 🇺🇸🇮🇱", 0, "claim", &[("kind", "factual"), ("verdict", "inaccurate")]),
    ("s-52", 5, "\"enough\" ✊🏽", 0, "quote", &[("speaker", "Café owners"), ("form", "direct"), ("cue", "said")]),
    ("s-53", 5, "-5% turnout was reported", 0, "claim", &[("kind", "numeric"), ("note", "+ starts with a sign")]),
    ("s-54", 5, "=SUM(A1) is not a formula", 0, "claim", &[("note", "@mention")]),
    ("s-55", 5, "Families 👨‍👩‍👧", 0, "speaker", &[("canonical", "families")]),
    (
        "s-56",
        5,
        "rallied in Tel Aviv — שלום, سلام, 和平. Café owners said \"enough\" ✊🏽.\n-5% turnout",
        0,
        "claim",
        &[("note", "Crosses a line break and overlaps s-52 and s-53.")],
    ),
    ("s-57", 5, "e\u{301}te\u{301} — \u{2028}after", 0, "claim", &[("note", "Combining marks\u{2028}and a line separator.")]),
];

/// Links: (id, type, from, to, kind, note).
const RELATIONS: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("r-01", "contradicts", "s-13", "s-14", "factual", "Same article: the Charter says binding."),
    ("r-02", "same-statement", "s-06", "s-31", "", "Two translations of one statement."),
    ("r-03", "supports", "s-11", "s-41", "", ""),
    ("r-04", "attributed-to", "s-11", "s-12", "", ""),
    ("r-05", "attributed-to", "s-03", "s-01", "", "Via his office."),
    ("r-06", "contradicts", "s-51", "s-14", "attribution", "Emoji article vs. UN Charter 🇺🇳"),
    ("r-07", "supports", "s-02", "s-21", "", ""),
    ("r-08", "attributed-to", "s-52", "s-55", "", ""),
];

/// The code-point range of the `occurrence`-th `phrase` in `text`.
fn find(text: &str, phrase: &str, occurrence: usize) -> Option<(usize, usize)> {
    let (byte, _) = text.match_indices(phrase).nth(occurrence)?;
    let start = text[..byte].chars().count();
    Some((start, start + phrase.chars().count()))
}

/// Builds the sample project; an error names the span or link that did not fit.
pub fn sample_project() -> Result<Project, String> {
    let mut articles = default_articles();
    let mut emoji = Article::new(EMOJI_ARTICLE, "", "emoji-🧐 test.txt");
    emoji.url = "https://example.org/news/emoji?x=1&y=2".to_string();
    emoji.published = "2024-03-26".to_string();
    articles.push(emoji);
    let mut project = Project::with_articles(articles);
    project = project.with_settings(Settings {
        annotator: "Ana Editor".to_string(),
        reviewer_organisation: "Crosscheck Desk".to_string(),
        reviewer_url: "https://factcheck.example.org/reviews".to_string(),
    });
    for (index, (id, article_index, phrase, occurrence, label, attributes)) in SPANS.iter().enumerate() {
        let article = project.articles().get(*article_index).cloned().ok_or(format!("{id}: no article"))?;
        let (start, end) = find(&article.text, phrase, *occurrence).ok_or(format!("{id}: phrase not found"))?;
        let now = SAMPLE_TIME + index as i64 * 1_000;
        let mut span = new_span(&project, SpanId::from(*id), &article, start, end, &(*label).into(), now)
            .ok_or(format!("{id}: range outside the article"))?;
        if SECOND_AUTHOR_SPANS.contains(id) {
            span.author = SECOND_AUTHOR.to_string();
        }
        for (key, value) in *attributes {
            span.attributes.insert(key.to_string(), value.to_string());
        }
        project.apply(Edit::AddSpan(span), now).map_err(|error| format!("{id}: {error}"))?;
    }
    for (index, (id, kind, from, to, sub_kind, note)) in RELATIONS.iter().enumerate() {
        let now = SAMPLE_TIME + 100_000 + index as i64 * 1_000;
        let mut relation =
            new_relation(&project, RelationId::from(*id), &(*kind).into(), SpanId::from(*from), SpanId::from(*to), now);
        relation.kind = (!sub_kind.is_empty()).then(|| sub_kind.to_string());
        relation.note = note.to_string();
        if *id == "r-01" {
            relation.author = SECOND_AUTHOR.to_string();
        }
        if *id == "r-02" {
            // Made by accepting the same-statement suggester's proposal.
            relation.suggestion = Some("same-statement:s-06:s-31".into());
        }
        project.apply(Edit::AddRelation(relation), now).map_err(|error| format!("{id}: {error}"))?;
    }
    Ok(project)
}
