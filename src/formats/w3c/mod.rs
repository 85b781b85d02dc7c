//! W3C Web Annotation export and import (JSON-LD, <https://www.w3.org/TR/annotation-model/>).
//!
//! # Export
//!
//! One `AnnotationCollection` whose single embedded `AnnotationPage` (`first`) lists every span
//! (in [`Project::spans_in_order`]) and then every relation (by id). It passes the W3C test
//! suite's MUST assertions (`tests/consumers/test_w3c.py` runs them on every annotation).
//!
//! - Every annotation repeats `"@context": "http://www.w3.org/ns/anno.jsonld"`, so each item
//!   stands alone when a consumer splits the page.
//! - A span is an `Annotation` with id `urn:crosscheck:span:<id>` (ids are percent-encoded
//!   outside RFC 3986's unreserved characters), `motivation: "tagging"`, `created`/`modified`
//!   (ISO 8601 UTC), `creator` (`{"type":"Person","name":author}`) and `body`, an array of
//!   `TextualBody`s:
//!   - `purpose: "tagging"`, `value`: the label's name (first, always);
//!   - `purpose: "describing"`, `value`: `"<key>: <value>"` for every other non-empty attribute
//!     (`"kind: numeric"`, `"speaker: Joe Biden"`), in key order;
//!   - `purpose: "commenting"`, `value`: the `note` attribute, when not empty.
//! - Its `target` is a `SpecificResource` with id `urn:crosscheck:target:<span id>`, `source`
//!   `urn:crosscheck:article:<article id>` (plus `scope`: the article's URL when it has one) and
//!   two selectors: a `TextQuoteSelector` (`exact`, and `prefix`/`suffix` of up to
//!   [`CONTEXT_CHARS`] code points, left out when empty) and a `TextPositionSelector`
//!   (`start`/`end` in code points of the stored text, end exclusive).
//! - A relation is an `Annotation` with id `urn:crosscheck:relation:<id>`,
//!   `motivation: "linking"`, whose one `target` is the `from` span and whose bodies are: a
//!   tagging `TextualBody` with the relation type's id; a describing body `"direction:
//!   symmetric"` for symmetric types (contradicts, supports, same-statement: the link reads the
//!   same both ways) or `"direction: from target to body"`; the `to` span as a
//!   `SpecificResource` with `purpose: "linking"`; then `"kind: <kind>"` and the note (each when
//!   not empty). JSON-LD does not keep the order of `target` values, so direction is carried by
//!   the target/body roles, which survive expansion to RDF. Both ends have the span's `source`
//!   and selectors and an id of their own, `urn:crosscheck:target:<span id>/in/<relation id>`,
//!   so no resource collects the selectors of several annotations.
//!
//! # Import
//!
//! [`from_w3c`] reads an `AnnotationCollection` (with embedded pages), an `AnnotationPage`, a
//! bare array of annotations or one annotation, against a project whose articles hold the
//! targets. A document of the wrong shape, or an item that is not an annotation object with a
//! `target`, is an error. Everything else that cannot be imported — unknown document, no label,
//! text not found — is listed in [`W3cImport::unanchored`] with the reason; nothing is dropped
//! silently.
//!
//! - The document: `urn:crosscheck:article:<id>`, else an article whose `url` equals `source`.
//! - Anchoring: the `TextPositionSelector`, if the text there equals the `TextQuoteSelector`'s
//!   `exact` (or there is no quote). Otherwise every exact occurrence of the quote, scored by
//!   how many code points of `prefix` and `suffix` match around it, ties going to the occurrence
//!   nearest the old `start`. Otherwise an approximate search (semi-global Levenshtein over code
//!   points) accepting the best passage whose similarity `1 - distance / max(len)` is at least
//!   [`FUZZY_THRESHOLD`] (ties: closest in length, then nearest the old start). Quotes longer
//!   than [`FUZZY_MAX_QUOTE_CHARS`], quote × article products above [`FUZZY_MAX_WORK`] and
//!   searches past the import's [`FUZZY_IMPORT_BUDGET`] are not searched approximately, so a
//!   file of unplaceable annotations cannot freeze the tab; likewise choosing among exact
//!   occurrences compares at most [`SCORED_CONTEXT_CHARS`] of context and stops at the first
//!   occurrence once the import's [`QUOTE_IMPORT_BUDGET`] is spent. Every moved span is listed in
//!   [`W3cImport::reanchored`]. The span's `text` is always the article's text at the final
//!   position.
//! - The label: the first tagging body (or, with no `purpose`, a body of a `tagging`
//!   annotation) whose value equals a label's name (case-insensitive) or id. No such body makes
//!   the annotation unanchored, as does an unknown link type — labels are never invented.
//! - Attributes: the label's defaults, overlaid with each describing body `"key: value"`; other
//!   describing or classifying text and every commenting body (and `bodyValue`) go to `note`.
//!   Non-textual bodies and extra tags are ignored.
//! - Ids: the id in a `urn:crosscheck:span:`/`urn:crosscheck:relation:` IRI is kept when the
//!   project does not already use it; otherwise (and for foreign IRIs) a deterministic new id
//!   `s-w3c-<hash>` / `r-w3c-<hash>` is made. An annotation whose id names a span already in the
//!   project at the same place with the same label is not imported again (it is reported as
//!   unanchored with reason "already in the project") and links may point to it.
//! - Links: `motivation: "linking"` with one target (the `from` end) and one `SpecificResource`
//!   body (the `to` end), as exported; or, as Crosscheck wrote them before, exactly two targets
//!   `[from, to]`. Each end resolves by its `id` (span target ids), by an annotation IRI, or by
//!   anchoring it and finding the one imported or existing span at exactly that place.
//! - `created`/`modified` are read from ISO 8601 (else `now`); `creator`'s `name`, `nickname` or
//!   id (else the project's annotator) becomes the author.

mod anchor;
mod export;
mod import;
mod read;
#[cfg(test)]
mod tests;

use crate::domain::annotation::{RelationId, SpanId};
use crate::domain::article::ArticleId;
use crate::formats::common::iri_escape;

pub use export::to_w3c;
pub use import::{from_w3c, AnchorMethod, Reanchored, Unanchored, W3cImport};

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The media type the Web Annotation protocol gives this JSON-LD.
pub const MEDIA_TYPE: &str = "application/ld+json;profile=\"http://www.w3.org/ns/anno.jsonld\"";
/// A suggested download name.
pub const FILE_NAME: &str = "annotations.w3c.json";
pub const SPAN_IRI_PREFIX: &str = "urn:crosscheck:span:";
/// A link's describing body says `direction: <one of these>`.
pub const DIRECTION_DIRECTED: &str = "from target to body";
pub const DIRECTION_SYMMETRIC: &str = "symmetric";
pub const RELATION_IRI_PREFIX: &str = "urn:crosscheck:relation:";
pub const TARGET_IRI_PREFIX: &str = "urn:crosscheck:target:";
pub const ARTICLE_IRI_PREFIX: &str = "urn:crosscheck:article:";
/// Code points of context in a `TextQuoteSelector`'s `prefix` and `suffix`.
pub const CONTEXT_CHARS: usize = 32;
/// The lowest similarity (1 − Levenshtein distance / longer length) an approximate match needs.
pub const FUZZY_THRESHOLD: f64 = 0.8;
/// Quotes longer than this (code points) are only searched exactly.
pub const FUZZY_MAX_QUOTE_CHARS: usize = 500;
/// The largest quote × article product (code points) searched approximately for one target.
pub const FUZZY_MAX_WORK: usize = 30_000_000;
/// Code points of a `TextQuoteSelector`'s `prefix` and `suffix` compared around each exact
/// occurrence of its quote: more than exports write ([`CONTEXT_CHARS`]), few enough to bound the
/// cost of scoring one occurrence.
pub const SCORED_CONTEXT_CHARS: usize = 256;
/// The total work (bytes of quote and context compared) one import may spend choosing among the
/// exact occurrences of its quotes. Past it, a quote takes its first occurrence unscored. Only
/// quotes that occur thousands of times each (a repetitive article) get there: ten thousand
/// copies of a quote occurring 60,000 times took a minute without it (found by the fuzzer,
/// `tests/fuzz_importers.rs`).
pub const QUOTE_IMPORT_BUDGET: usize = 100_000_000;
/// The total approximate-search work (quote × article code points) one import may spend;
/// targets beyond it are reported as unanchored rather than searched. A cell costs about 13 ns
/// in an optimised (`opt-level = "z"`) native build, so this is about 0.65 s; the former 300
/// million let a 7 KB file of ten unplaceable quotes freeze the tab for 4 s (found by the fuzzer,
/// `tests/fuzz_importers.rs`).
pub const FUZZY_IMPORT_BUDGET: usize = 50_000_000;

pub fn span_iri(id: &SpanId) -> String {
    format!("{SPAN_IRI_PREFIX}{}", iri_escape(id.as_str()))
}

pub fn relation_iri(id: &RelationId) -> String {
    format!("{RELATION_IRI_PREFIX}{}", iri_escape(id.as_str()))
}

pub fn target_iri(id: &SpanId) -> String {
    format!("{TARGET_IRI_PREFIX}{}", iri_escape(id.as_str()))
}

/// The id of a span as one end of a link: its own resource, named after the span and the link
/// (`urn:crosscheck:target:<span>/in/<relation>`; escaped ids hold no `/`).
pub fn link_end_iri(span: &SpanId, relation: &RelationId) -> String {
    format!("{}/in/{}", target_iri(span), iri_escape(relation.as_str()))
}

pub fn article_iri(id: &ArticleId) -> String {
    format!("{ARTICLE_IRI_PREFIX}{}", iri_escape(id.as_str()))
}
