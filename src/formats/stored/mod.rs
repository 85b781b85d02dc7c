//! The stored shapes of a project: what is in users' browsers (`crosscheck.project.v1`) and in
//! project exports, as types of their own, separate from the domain.
//!
//! Every field name and tag a stored or exported document has is spelled here, once, and frozen:
//! renaming a domain type or variant cannot change what users hold, because the domain reaches
//! the document only through the `From` conversions of these types. A change to a shape here is a
//! change of the stored format, which the frozen v1 fixture (`tests/stored_v1.rs`) catches.
//!
//! The types borrow (`Cow`) when written, so saving 10,000 spans copies no text; read back they
//! own their data, and the conversions move it into the domain.

mod history;
mod json_fields;
mod position;
mod project;

use std::borrow::Cow;

pub use history::{StoredArticleDetails, StoredArticleDetailsChange, StoredEdit, StoredHistory, StoredStep};
pub use position::{StoredUiPosition, StoredView};
pub use project::{
    StoredArticle, StoredArticleMetadata, StoredAttribute, StoredAttributeKind, StoredLabel, StoredProject,
    StoredRelation, StoredRelationType, StoredSettings, StoredSpan,
};

/// Borrowed text for writing.
fn borrowed(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

#[cfg(test)]
mod tests;
