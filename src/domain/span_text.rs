//! A span's covered text: a view into its article's text, not a copy of it.
//!
//! Every span keeps the text it covers (`text[start:end]` of its article, for consumers that
//! check it), and a load builds 10,000 of them: as a `String` each was an allocation and a copy
//! of the article's bytes. A [`SpanText`] shares the article's `Rc<str>` and holds a byte range
//! into it; a text that is not a slice of an article (a span read from a file) holds its own.
//! It reads, compares, hashes, prints and serialises as the `str` it covers.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::rc::Rc;

use serde::{Serialize, Serializer};

/// Text shared with an article: `text[start..end]` in bytes, always on char boundaries.
#[derive(Clone)]
pub struct SpanText {
    text: Rc<str>,
    start: usize,
    end: usize,
}

impl SpanText {
    /// `part`, a slice of `text`: shared, not copied. A `part` from elsewhere is copied.
    pub fn within(text: &Rc<str>, part: &str) -> SpanText {
        // `part`'s place in `text`: in range only if it lies within `text`'s bytes (no other
        // allocation overlaps them), and then it is that very slice.
        let start = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        let end = start.wrapping_add(part.len());
        match text.get(start..end) {
            Some(_) => SpanText { text: text.clone(), start, end },
            None => SpanText::from(part),
        }
    }

    pub fn as_str(&self) -> &str {
        self.text.get(self.start..self.end).unwrap_or_default()
    }
}

impl Default for SpanText {
    fn default() -> SpanText {
        SpanText::from("")
    }
}

impl From<&str> for SpanText {
    fn from(text: &str) -> SpanText {
        SpanText::from(Rc::<str>::from(text))
    }
}

impl From<String> for SpanText {
    fn from(text: String) -> SpanText {
        SpanText::from(Rc::<str>::from(text))
    }
}

impl From<Rc<str>> for SpanText {
    fn from(text: Rc<str>) -> SpanText {
        let end = text.len();
        SpanText { text, start: 0, end }
    }
}

impl Deref for SpanText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SpanText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SpanText {
    fn eq(&self, other: &SpanText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SpanText {}

impl PartialEq<str> for SpanText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SpanText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SpanText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl Hash for SpanText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for SpanText {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), formatter)
    }
}

impl fmt::Display for SpanText {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), formatter)
    }
}

impl Serialize for SpanText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_of_the_article_is_shared_and_reads_as_its_text() {
        let article: Rc<str> = Rc::from("Rafah: 1.4 million — “binding” 🙂 end");
        let start = article.find('“').unwrap();
        let end = article.find(" end").unwrap();
        let text = SpanText::within(&article, &article[start..end]);
        assert_eq!(text, "“binding” 🙂");
        assert!(std::ptr::eq(text.as_ptr(), article[start..].as_ptr()), "shared, not copied");
        assert_eq!(Rc::strong_count(&article), 2);
        assert_eq!(serde_json::to_string(&text).unwrap(), "\"“binding” 🙂\"");
        assert_eq!(format!("{text} {text:?}"), "“binding” 🙂 \"“binding” 🙂\"");
    }

    #[test]
    fn text_from_elsewhere_is_copied_and_equal_texts_are_equal_however_held() {
        let article: Rc<str> = Rc::from("one two three");
        let elsewhere = String::from("two");
        let copied = SpanText::within(&article, &elsewhere);
        assert!(!std::ptr::eq(copied.as_ptr(), elsewhere.as_ptr()));
        assert_eq!(Rc::strong_count(&article), 1);
        let shared = SpanText::within(&article, &article[4..7]);
        assert_eq!(copied, shared);
        let hash = |text: &SpanText| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            text.hash(&mut hasher);
            hasher.finish()
        };
        assert_eq!(hash(&copied), hash(&shared));
        assert_eq!(SpanText::default(), "");
        assert_eq!(SpanText::from(String::from("x")).len(), 1);
    }
}
