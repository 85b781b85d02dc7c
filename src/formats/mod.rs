//! File formats: everything that turns a project into bytes or bytes into articles and spans.
//!
//! Pure Rust like `domain`: no browser types. Every parser returns a [`FormatError`] naming the
//! file, line and field that failed, and never panics on any input.

pub mod agreement;
pub mod brat;
pub mod claim_review;
pub mod common;
pub mod corpus;
pub mod csv;
pub mod doccano;
pub mod export;
pub mod fever;
pub mod import_plan;
pub mod jsonl;
pub mod label_studio;
pub mod nli;
pub mod project_json;
pub mod report;
pub mod stored;
pub mod sync;
pub mod upload;
pub mod w3c;
pub mod web_page;
pub mod zip_store;

use std::fmt;

/// What went wrong reading a file, precise enough to find the problem in an editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    /// The file name, when known (set by the caller that read the file).
    pub file: Option<String>,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// A path into the document such as `spans[3].start`, or "" for the whole document.
    pub field: String,
    pub message: String,
}

impl FormatError {
    pub fn at(field: &str, message: &str) -> FormatError {
        FormatError { file: None, line: None, field: field.to_string(), message: message.to_string() }
    }

    pub fn at_line(line: usize, field: &str, message: &str) -> FormatError {
        FormatError { line: Some(line), ..FormatError::at(field, message) }
    }

    pub fn newer_version(found: u64, supported: u64) -> FormatError {
        FormatError::at(
            "schema_version",
            &format!("version {found} is newer than this Crosscheck understands (up to {supported}); update the app"),
        )
    }

    pub fn from_json_error(error: serde_json::Error) -> FormatError {
        let message = match error.classify() {
            serde_json::error::Category::Eof => "the JSON ends too early (truncated file?)".to_string(),
            serde_json::error::Category::Syntax => format!("not valid JSON ({error})"),
            _ => error.to_string(),
        };
        FormatError::at_line(error.line(), "", &message)
    }

    pub fn in_file(mut self, file: &str) -> FormatError {
        self.file = Some(file.to_string());
        self
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(formatter, "{file}: ")?;
        }
        if let Some(line) = self.line {
            write!(formatter, "line {line}: ")?;
        }
        if !self.field.is_empty() {
            write!(formatter, "{}: ", self.field)?;
        }
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for FormatError {}
