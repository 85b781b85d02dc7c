//! Articles: immutable text with a content-derived id, a title, a source and paragraph layout.
//!
//! An article's text never changes after it enters a project, so every span offset into it stays
//! valid forever. The id is derived from the text alone (SHA-256), so the same article imported
//! twice, in two tabs or two browsers, gets the same id and is recognised as a duplicate.

use std::cell::OnceCell;
use std::rc::Rc;

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use crate::domain::article_metadata::{ArticleMetadata, TextDirection};
use crate::domain::span_text::SpanText;
use crate::domain::text::{self, TextIndex};

pub use crate::domain::ids::ArticleId;

impl ArticleId {
    pub fn for_text(stored_text: &str) -> ArticleId {
        // Fed in pieces, so the hashing runs as many calls (see `text::TEXT_PIECE_BYTES`).
        let mut hasher = Sha256::new();
        for piece in stored_text.as_bytes().chunks(text::TEXT_PIECE_BYTES) {
            hasher.update(piece);
        }
        let digest = hasher.finalize();
        let hex: String = digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect();
        ArticleId::from(format!("a-{hex}"))
    }
}

/// A paragraph of an article: a maximal run of text between newlines, as code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
}

/// One article. Construct with [`Article::new`], which normalises line endings and derives the id.
#[derive(Clone, Debug, Serialize)]
pub struct Article {
    pub id: ArticleId,
    pub title: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub published: String,
    pub text: Rc<str>,
    /// Authors, publisher, dates, canonical URL, language… (absent from the JSON when empty).
    #[serde(default, skip_serializing_if = "ArticleMetadata::is_empty")]
    pub metadata: ArticleMetadata,
    #[serde(skip)]
    layout: OnceCell<Rc<ArticleLayout>>,
    /// Counted on first use, or known from the stored article ([`Article::know_word_count`]).
    #[serde(skip)]
    words: OnceCell<usize>,
}

/// The editable part of an article, replaced as a whole by `Edit::SetArticleDetails`. Stored
/// and read back through `formats::stored`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ArticleDetails {
    pub title: String,
    pub source: String,
    pub url: String,
    pub published: String,
    pub metadata: ArticleMetadata,
}

/// What `Edit::SetArticleDetails` carries: the article and its new details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArticleDetailsChange {
    pub id: ArticleId,
    pub details: ArticleDetails,
}

/// What slicing and drawing the text need, costly to recompute: code-point index and paragraph
/// boundaries. (The word count is apart: a load takes it from the stored article.)
#[derive(Debug, PartialEq)]
pub struct ArticleLayout {
    pub index: TextIndex,
    pub paragraphs: Vec<Paragraph>,
}

impl PartialEq for Article {
    fn eq(&self, other: &Article) -> bool {
        self.id == other.id
            && self.title == other.title
            && self.source == other.source
            && self.url == other.url
            && self.published == other.published
            && self.text == other.text
            && self.metadata == other.metadata
    }
}

/// Equality is a true equivalence (the text decides it), which lets `Rc<Article>` compare by
/// pointer first: the reader's paragraph props compare in constant time.
impl Eq for Article {}

impl Article {
    /// Creates an article from raw text (any line endings). An empty title is derived from the
    /// text; see [`derive_title`].
    pub fn new(raw_text: &str, title: &str, source: &str) -> Article {
        let stored_text = text::normalize_line_endings(raw_text);
        Article::with_text(ArticleId::for_text(&stored_text), stored_text, title, source)
    }

    /// [`Article::new`] for a text whose id is known without hashing it: a default article's
    /// (`domain::corpus::DEFAULT_CORPUS_IDS`).
    pub fn with_known_id(id: ArticleId, raw_text: &str, title: &str, source: &str) -> Article {
        Article::with_text(id, text::normalize_line_endings(raw_text), title, source)
    }

    fn with_text(id: ArticleId, stored_text: String, title: &str, source: &str) -> Article {
        let title = if title.trim().is_empty() { derive_title(&stored_text) } else { title.trim().to_string() };
        Article {
            id,
            title,
            source: source.to_string(),
            url: String::new(),
            published: String::new(),
            text: Rc::from(stored_text),
            metadata: ArticleMetadata::default(),
            layout: OnceCell::new(),
            words: OnceCell::new(),
        }
    }

    /// An article read back from a file, its id as the file gave it: the loader checks it against
    /// the text ([`Article::id_matches_text`]); nothing is normalised or derived here.
    pub fn from_stored(id: ArticleId, text: Rc<str>, details: ArticleDetails) -> Article {
        let ArticleDetails { title, source, url, published, metadata } = details;
        Article { id, title, source, url, published, text, metadata, layout: OnceCell::new(), words: OnceCell::new() }
    }

    /// Takes `words` as the text's word count, as stored with the article (counting the
    /// benchmark project's 70,000 words took ~6 ms of a new tab's load). A count no text of this
    /// length can have (more words than bytes) is ignored, and counted on first use instead.
    pub fn know_word_count(&self, words: usize) {
        if words <= self.text.len() {
            let _ = self.words.set(words);
        }
    }

    /// The URL that identifies the article: its canonical URL when the page stated one.
    pub fn canonical_or_url(&self) -> &str {
        if self.metadata.canonical_url.is_empty() {
            &self.url
        } else {
            &self.metadata.canonical_url
        }
    }

    /// Everything about the article a person may edit (all but the text and id).
    pub fn details(&self) -> ArticleDetails {
        ArticleDetails {
            title: self.title.clone(),
            source: self.source.clone(),
            url: self.url.clone(),
            published: self.published.clone(),
            metadata: self.metadata.clone(),
        }
    }

    /// Replaces the editable part with `details`, returning what it was (the text never changes).
    pub fn set_details(&mut self, details: ArticleDetails) -> ArticleDetails {
        let before = self.details();
        let ArticleDetails { title, source, url, published, metadata } = details;
        (self.title, self.source, self.url, self.published, self.metadata) = (title, source, url, published, metadata);
        before
    }

    pub fn layout(&self) -> &ArticleLayout {
        self.layout.get_or_init(|| Rc::new(ArticleLayout::new(&self.text)))
    }

    pub fn char_len(&self) -> usize {
        self.layout().index.char_len()
    }

    pub fn word_count(&self) -> usize {
        *self.words.get_or_init(|| text::word_count(&self.text))
    }

    /// The word count if it is known (stored with the article, or counted already), without
    /// counting: the app shows articles with code that carries no word segmentation.
    pub fn known_word_count(&self) -> Option<usize> {
        self.words.get().copied()
    }

    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.layout().paragraphs
    }

    /// The code points `start..end` of the text, or `None` if out of range.
    pub fn slice(&self, start: usize, end: usize) -> Option<&str> {
        self.layout().index.slice(&self.text, start, end)
    }

    /// The code points `start..end` of the text as a span keeps them: shared with the article's
    /// text, not copied. `None` if out of range.
    pub fn span_text(&self, start: usize, end: usize) -> Option<SpanText> {
        self.slice(start, end).map(|part| SpanText::within(&self.text, part))
    }

    /// Whether the id matches the text (false for a tampered or corrupt stored article).
    pub fn id_matches_text(&self) -> bool {
        self.id == ArticleId::for_text(&self.text)
    }

    /// The index of the paragraph containing code point `offset` (the last one for the end).
    pub fn paragraph_at(&self, offset: usize) -> Option<usize> {
        let paragraphs = self.paragraphs();
        let position = paragraphs.partition_point(|paragraph| paragraph.end <= offset);
        if position < paragraphs.len() {
            Some(position)
        } else {
            paragraphs.len().checked_sub(1)
        }
    }
}

impl ArticleLayout {
    fn new(stored_text: &str) -> ArticleLayout {
        let index = TextIndex::new(stored_text);
        let mut paragraphs = Vec::new();
        let mut offset = 0;
        for line in stored_text.split('\n') {
            let length = line.chars().count();
            if !line.trim().is_empty() {
                paragraphs.push(Paragraph { start: offset, end: offset + length });
            }
            offset += length + 1;
        }
        ArticleLayout { index, paragraphs }
    }
}

/// The longest title derived from a first sentence, in code points, before "…" is added.
const MAX_DERIVED_TITLE_CHARS: usize = 90;

/// The most words (between spaces) a first line read as a headline has.
const MAX_HEADLINE_WORDS: usize = 20;

/// A title for an article that came without one: its first line when that line reads as a
/// headline (short, not a sentence), otherwise its first sentence, shortened at a word boundary.
pub fn derive_title(stored_text: &str) -> String {
    let first_line = stored_text.lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or("");
    if first_line.is_empty() {
        return "Untitled article".to_string();
    }
    // Words as spaces part them, not as Unicode segments them: a title is derived where the
    // app's first load makes articles (the sample articles of a first start), which carries no
    // word segmentation (`ui::editing`).
    let looks_like_headline = first_line.split_whitespace().count() <= MAX_HEADLINE_WORDS
        && first_line.chars().count() <= 140
        && !first_line.ends_with('.');
    if looks_like_headline {
        return first_line.to_string();
    }
    shorten(first_sentence(first_line), MAX_DERIVED_TITLE_CHARS)
}

/// The first sentence of a line: up to the first `.`, `!` or `?` that is followed by a space and
/// an upper-case letter or a quote (so "U.N." and "1.4" do not end it).
fn first_sentence(line: &str) -> &str {
    let characters: Vec<(usize, char)> = line.char_indices().collect();
    for window in characters.windows(3) {
        let [(_, mark), (_, space), (next_byte, next)] = window else { continue };
        let ends_sentence = matches!(mark, '.' | '!' | '?')
            && *space == ' '
            && (next.is_uppercase() || matches!(next, '"' | '“' | '\''));
        if ends_sentence {
            let previous_word = line[..*next_byte - 2].rsplit(' ').next().unwrap_or("");
            let is_abbreviation = previous_word.len() <= 3 && previous_word.contains('.');
            if !is_abbreviation {
                return &line[..*next_byte - 1];
            }
        }
    }
    line
}

/// Shortens to at most `max_chars` code points at a word boundary, adding "…" when cut.
pub fn shorten(text: &str, max_chars: usize) -> String {
    let trimmed = text.trim();
    if trimmed.chars().count() <= max_chars {
        return trimmed.to_string();
    }
    let cut: String = trimmed.chars().take(max_chars).collect();
    let at_word = match cut.rfind(' ') {
        Some(space) if space > max_chars / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_hashed_in_pieces_is_the_id_hashed_at_once() {
        // Ids are content addresses in users' stores: hashing in pieces must not change one.
        let text = "Rafah – 1.4 million “people” 😀\n".repeat(500);
        assert!(text.len() > 3 * text::TEXT_PIECE_BYTES);
        let digest = Sha256::digest(text.as_bytes());
        let hex: String = digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect();
        assert_eq!(ArticleId::for_text(&text).as_str(), format!("a-{hex}"));
    }

    #[test]
    fn id_is_stable_and_content_derived() {
        let first = Article::new("Same text.\r\nSecond line.", "", "a.txt");
        let second = Article::new("Same text.\nSecond line.", "Other title", "b.txt");
        assert_eq!(first.id, second.id, "CRLF is normalised before hashing");
        assert_eq!(first.id.as_str(), "a-".to_string() + &first.id.as_str()[2..]);
        assert_eq!(first.id.as_str().len(), 18);
        assert_ne!(first.id, Article::new("Different.", "", "c.txt").id);
        // A fixed value: changing the derivation would orphan every stored project.
        assert_eq!(ArticleId::for_text("abc").as_str(), "a-ba7816bf8f01cfea");
    }

    #[test]
    fn headline_first_line_is_the_title() {
        let article = Article::new("US 'disappointed' as Israel cancels trip\n\nBody text here.", "", "x.txt");
        assert_eq!(article.title, "US 'disappointed' as Israel cancels trip");
        // Twenty words between spaces is still a headline; twenty-one is not.
        let twenty = ["word"; 20].join(" ");
        assert_eq!(derive_title(&format!("{twenty}\nBody.")), twenty);
        let twenty_one = ["word"; 21].join(" ");
        assert_ne!(derive_title(&format!("{twenty_one}\nBody.")), twenty_one);
        // A headline without spaces is one, however Unicode segments its words.
        assert_eq!(derive_title("安理会通过加沙停火决议\n正文。"), "安理会通过加沙停火决议");
    }

    #[test]
    fn a_word_count_is_known_once_stored_or_counted_and_not_before() {
        let article = Article::new("One two three.", "", "x.txt");
        assert_eq!(article.known_word_count(), None, "making an article counts nothing");
        assert_eq!(article.word_count(), 3);
        assert_eq!(article.known_word_count(), Some(3));
        let stored = Article::new("One two three.", "", "x.txt");
        stored.know_word_count(2);
        assert_eq!(stored.known_word_count(), Some(2));
    }

    #[test]
    fn first_sentence_is_the_title_when_there_is_no_headline() {
        let text = "The U.N. Security Council passed a resolution on Monday. It called for a ceasefire.";
        assert_eq!(derive_title(text), "The U.N. Security Council passed a resolution on Monday.");
        let long = "Israeli Prime Minister Benjamin Netanyahu says he will no longer send a delegation of top officials to Washington this week after talks.";
        let title = derive_title(long);
        assert!(title.ends_with('…'), "{title}");
        assert!(title.chars().count() <= MAX_DERIVED_TITLE_CHARS + 1);
        assert!(title.starts_with("Israeli Prime Minister Benjamin Netanyahu says"));
    }

    #[test]
    fn paragraphs_skip_blank_lines_and_count_code_points() {
        let article = Article::new("Ab🙂\n\n  \nCd\n", "", "x");
        assert_eq!(article.paragraphs(), &[Paragraph { start: 0, end: 3 }, Paragraph { start: 8, end: 10 }]);
        assert_eq!(article.slice(8, 10), Some("Cd"));
        assert_eq!(article.paragraph_at(9), Some(1));
        assert_eq!(article.paragraph_at(0), Some(0));
    }
}
