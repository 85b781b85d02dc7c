//! Typed ids: one type per kind of id, so a label id cannot be passed where a relation type is
//! expected, nor a suggestion key where a span id is.
//!
//! Every id is an `Rc<str>`: cloning one (the app state is cloned on every action, and every
//! span map is keyed by ids) copies a pointer, not text. On disk each is a plain JSON string
//! (`#[serde(transparent)]`), exactly as when they were `String`s.

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Rc<str>);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> $name {
                $name::from("")
            }
        }

        /// Read access to the text (for formatting, slugs, prefixes); building an id from text
        /// is always explicit (`From`).
        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> $name {
                $name(Rc::from(value))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> $name {
                $name(Rc::from(value))
            }
        }

        impl From<&String> for $name {
            fn from(value: &String) -> $name {
                $name(Rc::from(value.as_str()))
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                *self.0 == **other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }
    };
}

string_id!(
    /// `"a-"` followed by the first 16 hex digits of the SHA-256 of the article's stored text.
    ArticleId
);
string_id!(
    /// A span's id: `s-` + time + random digits for spans made here; any text for imported ones.
    SpanId
);
string_id!(
    /// A relation's id, like a span's with `r-`.
    RelationId
);
string_id!(
    /// The stable id of a label in the project's schema (stored on spans, never shown).
    LabelId
);
string_id!(
    /// The stable id of a relation type in the project's schema (`contradicts`, …).
    RelationTypeId
);
string_id!(
    /// A suggestion's deterministic key (kind, article ids and offsets), stored when rejected.
    /// Never a [`SpanId`]: a suggestion shown in the reader is keyed by this, not by a span id.
    SuggestionKey
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialize_as_plain_strings() {
        let id = SpanId::from("s-1 ü");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"s-1 ü\"");
        assert_eq!(serde_json::from_str::<SpanId>("\"s-1 ü\"").unwrap(), id);
        let label = LabelId::from("claim");
        assert_eq!(label, "claim");
    }
}
