//! Suggesters: proposed quotes, speakers and numeric claims in each article, and
//! proposed links between articles (same statement, numeric contradiction, attribution
//! conflict), all as pure data the annotator accepts or rejects.
//!
//! - [`suggest_for_article`] and [`suggest_for_paragraphs`] find quotes with their speakers and
//!   numeric claims in one article (see `quotes`, `attribution`, `numbers`).
//! - [`suggest_across`] finds each quote's or claim's counterparts in the other articles (see
//!   `matching`), from existing spans and proposed ones alike.
//! - [`SuggestionRun`] (`run`) runs both over a project a chunk at a time and keeps what is still
//!   open; [`suggest_all`] is one run to its end, what the browser shows and the quality test
//!   measures.
//! - [`OpenSuggestions`] (`open`) decides once per project version which suggestions are still
//!   open (not rejected, not already annotated, not already linked), and gives the reader its
//!   pseudo-spans ([`suggested_spans`]).
//! - [`accept`] turns a suggestion into one undoable [`Edit`](crate::domain::project::Edit);
//!   [`accept_all`] and [`reject_all`] do it for many as one step.
//!
//! Every suggestion has a stable [`Suggestion::key`] built from its kind, article ids and code-point
//! offsets, so a rejection stored in `Project::rejected_suggestions` keeps applying.

pub mod accept;
pub mod attribution;
pub mod lexicon;
pub mod matching;
pub mod names;
pub mod numbers;
pub mod open;
pub mod quotes;
pub mod run;
pub mod tokens;

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::domain::annotation::{Span, SpanId};
use crate::domain::article::{Article, ArticleId};
use crate::domain::ids::{LabelId, RelationTypeId, SuggestionKey};
use crate::domain::project::Project;

pub use accept::{accept, accept_all, reject, reject_all, AcceptedAll};
pub use matching::suggest_across;
pub use open::{open_in_article, suggested_spans, OpenSuggestions, SuggestedSpan};
pub use run::{Progress, SuggestionRun, PARAGRAPHS_PER_CHUNK};

/// Label ids the suggesters propose (those of the default schema).
pub const QUOTE_LABEL: &str = "quote";
pub const SPEAKER_LABEL: &str = "speaker";
pub const CLAIM_LABEL: &str = "claim";

/// How many paragraphs before a requested range are read again for context (speakers named
/// earlier, a quotation left open), by [`suggest_for_paragraphs`]. A pronoun or a title ("the
/// ambassador") whose person was last named further back than this resolves differently in a
/// chunk than in the whole article.
pub const CONTEXT_PARAGRAPHS: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SuggestionKind {
    Quote,
    Speaker,
    NumericClaim,
    SameStatement,
    NumericContradiction,
    AttributionConflict,
}

impl SuggestionKind {
    /// The kind's part of a suggestion key, and a stable name for exports and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionKind::Quote => "quote",
            SuggestionKind::Speaker => "speaker",
            SuggestionKind::NumericClaim => "claim-numeric",
            SuggestionKind::SameStatement => "same-statement",
            SuggestionKind::NumericContradiction => "contradicts-numeric",
            SuggestionKind::AttributionConflict => "contradicts-attribution",
        }
    }

    pub fn is_link(self) -> bool {
        matches!(
            self,
            SuggestionKind::SameStatement | SuggestionKind::NumericContradiction | SuggestionKind::AttributionConflict
        )
    }
}

/// A span the suggester proposes to create.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposedSpan {
    pub article: ArticleId,
    pub start: usize,
    pub end: usize,
    /// A label id of the schema: `quote`, `speaker` or `claim`.
    pub label: LabelId,
    /// The covered text, `article.text[start..end]` in code points.
    pub text: String,
    /// Attribute values to set (quote: speaker, form, cue; claim: kind; speaker: canonical).
    pub attributes: BTreeMap<String, String>,
}

impl ProposedSpan {
    /// Whether `span` is this proposal already made: same article, label and offsets.
    pub fn is_same_as(&self, span: &Span) -> bool {
        span.article == self.article && span.label == self.label && span.start == self.start && span.end == self.end
    }
}

/// One end of a proposed link: a span the project has, or one the suggester proposes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LinkEnd {
    Existing { span: SpanId, article: ArticleId, start: usize, end: usize, text: String },
    Proposed(ProposedSpan),
}

impl LinkEnd {
    pub fn article(&self) -> &ArticleId {
        match self {
            LinkEnd::Existing { article, .. } => article,
            LinkEnd::Proposed(span) => &span.article,
        }
    }

    pub fn range(&self) -> (usize, usize) {
        match self {
            LinkEnd::Existing { start, end, .. } => (*start, *end),
            LinkEnd::Proposed(span) => (span.start, span.end),
        }
    }

    pub fn text(&self) -> &str {
        match self {
            LinkEnd::Existing { text, .. } => text,
            LinkEnd::Proposed(span) => &span.text,
        }
    }

    /// `article:start-end`, the end's part of a link key.
    fn key_part(&self) -> String {
        let (start, end) = self.range();
        format!("{}:{start}-{end}", self.article())
    }
}

/// What accepting the suggestion creates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SuggestionTarget {
    /// A new span; for a quote, also the mention of its speaker (a Speaker span, linked to the
    /// quote by `attributed-to` on acceptance).
    Span { span: ProposedSpan, speaker: Option<ProposedSpan> },
    /// A new relation between two spans (either may be proposed too).
    Link { relation_type: RelationTypeId, kind: Option<String>, from: LinkEnd, to: LinkEnd },
}

/// One proposal shown to the annotator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Deterministic from the kind, the article ids and the offsets (see the module docs).
    pub key: SuggestionKey,
    pub kind: SuggestionKind,
    pub target: SuggestionTarget,
    /// Why it is proposed, in words a person reads.
    pub reason: String,
    /// Confidence in `0..=1`; higher is surer.
    pub score: f32,
}

impl Suggestion {
    /// The article and start offset the suggestion is shown at (the first end for links).
    pub fn anchor(&self) -> (&ArticleId, usize) {
        match &self.target {
            SuggestionTarget::Span { span, .. } => (&span.article, span.start),
            SuggestionTarget::Link { from, .. } => (from.article(), from.range().0),
        }
    }

    /// Whether the suggestion is about `article`: a span in it, or a link with an end in it.
    pub fn touches(&self, article: &ArticleId) -> bool {
        match &self.target {
            SuggestionTarget::Span { span, .. } => span.article == *article,
            SuggestionTarget::Link { from, to, .. } => from.article() == article || to.article() == article,
        }
    }

    /// The proposed span, for span suggestions.
    pub fn span(&self) -> Option<&ProposedSpan> {
        match &self.target {
            SuggestionTarget::Span { span, .. } => Some(span),
            SuggestionTarget::Link { .. } => None,
        }
    }
}

/// The key of a span suggestion.
pub fn span_key(kind: SuggestionKind, article: &ArticleId, start: usize, end: usize) -> SuggestionKey {
    SuggestionKey::from(format!("{}:{article}:{start}-{end}", kind.as_str()))
}

/// The key of a link suggestion; the two ends are ordered, since every suggested relation is
/// symmetric.
pub fn link_key(kind: SuggestionKind, first: &LinkEnd, second: &LinkEnd) -> SuggestionKey {
    let (mut one, mut two) = (first.key_part(), second.key_part());
    if two < one {
        std::mem::swap(&mut one, &mut two);
    }
    SuggestionKey::from(format!("{}:{one}|{two}", kind.as_str()))
}

/// Quotes, speakers and numeric claims in one article, in reading order.
pub fn suggest_for_article(article: &Article) -> Vec<Suggestion> {
    suggest_for_paragraphs(article, 0..article.paragraphs().len())
}

/// The same as [`suggest_for_article`] restricted to the suggestions that start in the given
/// paragraphs (indexes into `article.paragraphs()`), so that a long article can be processed in
/// chunks. The [`CONTEXT_PARAGRAPHS`] before the range are read for context, and one after it
/// to see whether a quotation continues.
pub fn suggest_for_paragraphs(article: &Article, paragraphs: Range<usize>) -> Vec<Suggestion> {
    let all = article.paragraphs();
    let range = paragraphs.start.min(all.len())..paragraphs.end.min(all.len());
    if range.is_empty() {
        return Vec::new();
    }
    let window = range.start.saturating_sub(CONTEXT_PARAGRAPHS)..(range.end + 1).min(all.len());
    let base = all[window.start].start;
    let window_end = all[window.end - 1].end;
    let Some(window_text) = article.slice(base, window_end) else { return Vec::new() };
    let chars: Vec<char> = window_text.chars().collect();
    let local: Vec<(usize, usize)> =
        all[window.clone()].iter().map(|paragraph| (paragraph.start - base, paragraph.end - base)).collect();
    let wanted = (all[range.start].start - base)..(all[range.end - 1].end - base);
    let mut suggestions = quote_suggestions(article, &chars, &local, base, &wanted);
    suggestions.extend(claim_suggestions(article, &chars, &local, base, &wanted));
    crate::domain::sorting::sort_by(&mut suggestions, |left, right| {
        left.anchor().1.cmp(&right.anchor().1).then(left.kind.cmp(&right.kind))
    });
    suggestions
}

fn text_of(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end].iter().collect()
}

fn quote_suggestions(
    article: &Article,
    chars: &[char],
    paragraphs: &[(usize, usize)],
    base: usize,
    wanted: &Range<usize>,
) -> Vec<Suggestion> {
    let passages = quotes::find_quotes(chars, paragraphs);
    let (attributions, _) = attribution::attribute_quotes(chars, paragraphs, &passages);
    let mut suggestions = Vec::new();
    let mut speakers: BTreeMap<(usize, usize), (String, f32, usize)> = BTreeMap::new();
    for result in attributions {
        let passage = &passages[result.passage];
        if !wanted.contains(&passage.content_start) {
            continue;
        }
        let content = text_of(chars, passage.content_start, passage.content_end);
        let words = content.split_whitespace().count();
        if result.attribution.is_none() && words <= 3 {
            // A short quote nobody said is a title, a nickname or a scare quote.
            continue;
        }
        let (start, end) = (passage.content_start + base, passage.content_end + base);
        let mut attributes = BTreeMap::new();
        attributes.insert("form".to_string(), result.form.as_str().to_string());
        let (reason, score, speaker_span) = match &result.attribution {
            Some(found) => {
                attributes.insert("speaker".to_string(), found.speaker.name.clone());
                attributes.insert("cue".to_string(), found.cue.to_lowercase());
                let mut reason = match found.cue_phrase.is_empty() {
                    true => found.rule.describe().to_string(),
                    false => format!("{}: '{}'", found.rule.describe(), found.cue_phrase),
                };
                reason.push_str(&format!("; speaker '{}'", found.speaker.name));
                if !found.referred_as.is_empty() && found.referred_as != found.speaker.name {
                    reason.push_str(&format!(" (from '{}')", found.referred_as));
                }
                let speaker_span = found.speaker.mention.map(|(mention_start, mention_end)| {
                    let entry =
                        speakers.entry((mention_start, mention_end)).or_insert((found.speaker.name.clone(), 0.0, 0));
                    entry.1 = entry.1.max(found.rule.confidence());
                    entry.2 += 1;
                    ProposedSpan {
                        article: article.id.clone(),
                        start: mention_start + base,
                        end: mention_end + base,
                        label: LabelId::from(SPEAKER_LABEL),
                        text: text_of(chars, mention_start, mention_end),
                        attributes: BTreeMap::from([("canonical".to_string(), found.speaker.name.clone())]),
                    }
                });
                (reason, found.rule.confidence(), speaker_span)
            }
            None => ("quoted passage; no speaker found".to_string(), 0.5, None),
        };
        let span = ProposedSpan {
            article: article.id.clone(),
            start,
            end,
            label: LabelId::from(QUOTE_LABEL),
            text: content,
            attributes,
        };
        suggestions.push(Suggestion {
            key: span_key(SuggestionKind::Quote, &article.id, start, end),
            kind: SuggestionKind::Quote,
            target: SuggestionTarget::Span { span, speaker: speaker_span },
            reason,
            score,
        });
    }
    for ((mention_start, mention_end), (name, score, quotes)) in speakers {
        let (start, end) = (mention_start + base, mention_end + base);
        let span = ProposedSpan {
            article: article.id.clone(),
            start,
            end,
            label: LabelId::from(SPEAKER_LABEL),
            text: text_of(chars, mention_start, mention_end),
            attributes: BTreeMap::from([("canonical".to_string(), name.clone())]),
        };
        let plural = if quotes == 1 { "" } else { "s" };
        suggestions.push(Suggestion {
            key: span_key(SuggestionKind::Speaker, &article.id, start, end),
            kind: SuggestionKind::Speaker,
            target: SuggestionTarget::Span { span, speaker: None },
            reason: format!("speaker of {quotes} quote{plural}: '{name}'"),
            score,
        });
    }
    suggestions
}

fn claim_suggestions(
    article: &Article,
    chars: &[char],
    paragraphs: &[(usize, usize)],
    base: usize,
    wanted: &Range<usize>,
) -> Vec<Suggestion> {
    numbers::find_numeric_claims(chars, paragraphs)
        .into_iter()
        .filter(|claim| wanted.contains(&claim.start))
        .map(|claim| {
            let (start, end) = (claim.start + base, claim.end + base);
            let worthy = claim.quantities.iter().filter(|quantity| quantity.is_claim_worthy()).count();
            let span = ProposedSpan {
                article: article.id.clone(),
                start,
                end,
                label: LabelId::from(CLAIM_LABEL),
                text: text_of(chars, claim.start, claim.end),
                attributes: BTreeMap::from([("kind".to_string(), "numeric".to_string())]),
            };
            Suggestion {
                key: span_key(SuggestionKind::NumericClaim, &article.id, start, end),
                kind: SuggestionKind::NumericClaim,
                target: SuggestionTarget::Span { span, speaker: None },
                reason: format!("states {}", numbers::describe(chars, &claim.quantities)),
                score: (0.6 + 0.1 * worthy.min(3) as f32).min(0.9),
            }
        })
        .collect()
}

/// Whether an existing span already covers a proposed one: the same label, and the same
/// passage give or take quotation marks and punctuation (shared code points at least 80% of the
/// two spans' union).
pub fn is_covered(proposed: &ProposedSpan, span: &Span) -> bool {
    if span.article != proposed.article || span.label != proposed.label {
        return false;
    }
    let overlap = span.end.min(proposed.end).saturating_sub(span.start.max(proposed.start));
    let union = span.end.max(proposed.end) - span.start.min(proposed.start);
    union > 0 && overlap * 5 >= union * 4
}

/// Existing spans by article, sorted by start, to find quickly whether one covers a proposal.
pub struct CoverageIndex<'a> {
    by_article: BTreeMap<&'a ArticleId, Vec<&'a Span>>,
}

impl<'a> CoverageIndex<'a> {
    pub fn new(spans: &[&'a Span]) -> CoverageIndex<'a> {
        let mut by_article: BTreeMap<&ArticleId, Vec<&Span>> = BTreeMap::new();
        for span in spans {
            by_article.entry(&span.article).or_default().push(span);
        }
        for list in by_article.values_mut() {
            crate::domain::sorting::sort_by_key(list, |span| (span.start, span.end));
        }
        CoverageIndex { by_article }
    }

    /// Whether an existing span covers `proposed` (see [`is_covered`]).
    pub fn covers(&self, proposed: &ProposedSpan) -> bool {
        self.by_article.get(&proposed.article).is_some_and(|sorted| covered_in(sorted, proposed))
    }
}

/// Whether one of `sorted` (spans of the proposal's article sorted by start) covers `proposed`.
/// Only spans starting within a quarter of the proposal's length before it can, so only those
/// are checked.
pub(crate) fn covered_in<S: Borrow<Span>>(sorted: &[S], proposed: &ProposedSpan) -> bool {
    let reach = proposed.end.saturating_sub(proposed.start) / 4 + 1;
    let first = sorted.partition_point(|span| span.borrow().start + reach < proposed.start);
    sorted[first..]
        .iter()
        .map(Borrow::borrow)
        .take_while(|span| span.start < proposed.end)
        .any(|span| is_covered(proposed, span))
}

/// Every suggestion still open for a project: a [`SuggestionRun`] to its end (see
/// [`SuggestionRun::finish`] for the order).
pub fn suggest_all(project: &Project) -> Vec<Suggestion> {
    SuggestionRun::new(project).finish()
}
