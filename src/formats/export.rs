//! The export formats as one type: what the export menu lists, and the bytes each one writes.
//!
//! [`ExportFormat`] names every file Crosscheck can export. Each knows its `data-testid` id
//! (`export-<id>`), its menu text, the one line saying what it is for and which tool reads it,
//! its file extension and media type. [`ExportFormat::write`] produces the file from a project
//! and [`ExportOptions`]; there is no "unknown format": a new format is a new variant, and the
//! compiler lists every `match` that must learn it.

use crate::domain::project::Project;
use crate::formats::{brat, csv, jsonl, nli, project_json, w3c, FormatError};

/// Every file the export menu offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// The whole project, re-importable.
    Project,
    /// spaCy / Prodigy JSON Lines: `text` plus `spans` with `start`/`end`/`label`.
    Jsonl,
    /// One row per span.
    Csv,
    /// W3C Web Annotation JSON-LD.
    W3c,
    /// brat standoff, zipped.
    Brat,
    /// Natural-language-inference pairs.
    Nli,
}

/// Choices the person makes in the export menu that change what a file holds.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    /// The export time (milliseconds since the Unix epoch), written into formats that date
    /// themselves.
    pub now: i64,
}

impl ExportOptions {
    pub fn at(now: i64) -> ExportOptions {
        ExportOptions { now }
    }
}

impl ExportFormat {
    /// Every format, in menu order.
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Project,
        ExportFormat::Jsonl,
        ExportFormat::Csv,
        ExportFormat::W3c,
        ExportFormat::Brat,
        ExportFormat::Nli,
    ];

    /// The stable id: the menu button is `data-testid="export-<id>"` and the file is named
    /// `crosscheck-<id>-<date>.<extension>`.
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::Project => "project",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Csv => "csv",
            ExportFormat::W3c => "w3c",
            ExportFormat::Brat => "brat",
            ExportFormat::Nli => "nli",
        }
    }

    /// The format from its id, for links and stored choices.
    pub fn from_id(id: &str) -> Option<ExportFormat> {
        ExportFormat::ALL.into_iter().find(|format| format.id() == id)
    }

    /// The menu text.
    pub fn menu_text(self) -> &'static str {
        match self {
            ExportFormat::Project => "Project (JSON, re-importable)",
            ExportFormat::Jsonl => "spaCy / Prodigy JSONL",
            ExportFormat::Csv => "CSV, one row per span",
            ExportFormat::W3c => "W3C Web Annotation (JSON-LD)",
            ExportFormat::Brat => "brat standoff (.zip)",
            ExportFormat::Nli => "NLI pairs (JSONL)",
        }
    }

    /// One line: what the file is for and which tool reads it.
    pub fn purpose(self) -> &'static str {
        match self {
            ExportFormat::Project => "A backup or hand-over: Crosscheck imports it back exactly.",
            ExportFormat::Jsonl => {
                "Span training data: text with character-offset spans, as spaCy and Prodigy read them."
            }
            ExportFormat::Csv => "Analysis in pandas, R or a spreadsheet; formula-like cells are neutralised.",
            ExportFormat::W3c => {
                "Interoperable annotations with directed links for RDF tools, Hypothesis-style viewers and Recogito."
            }
            ExportFormat::Brat => "Standoff .txt/.ann pairs for brat and the NLP tools that read its format.",
            ExportFormat::Nli => "Contradiction / entailment pairs for training NLI models (MultiNLI labels).",
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Project => "json",
            ExportFormat::Jsonl | ExportFormat::Nli => "jsonl",
            ExportFormat::Csv => "csv",
            ExportFormat::W3c => "jsonld",
            ExportFormat::Brat => "zip",
        }
    }

    /// The media type of the download.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Project => "application/json",
            ExportFormat::Jsonl | ExportFormat::Nli => "application/jsonl",
            ExportFormat::Csv => "text/csv",
            ExportFormat::W3c => "application/ld+json",
            ExportFormat::Brat => "application/zip",
        }
    }

    /// The download name for an export made on `date` (`YYYY-MM-DD`).
    pub fn file_name(self, date: &str) -> String {
        format!("crosscheck-{}-{date}.{}", self.id(), self.extension())
    }

    /// The file's bytes for `project`.
    pub fn write(self, project: &Project, options: &ExportOptions) -> Result<Vec<u8>, FormatError> {
        let text = match self {
            ExportFormat::Project => project_json::to_json(project),
            ExportFormat::Jsonl => jsonl::to_jsonl(project),
            ExportFormat::Csv => csv::to_csv(project),
            ExportFormat::W3c => w3c::to_w3c(project, options.now),
            ExportFormat::Brat => return brat::to_brat_zip(project, options.now),
            ExportFormat::Nli => nli::to_nli_jsonl(project),
        };
        Ok(text.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_names_and_extensions_are_distinct_and_round_trip() {
        let ids: HashSet<_> = ExportFormat::ALL.iter().map(|format| format.id()).collect();
        assert_eq!(ids.len(), ExportFormat::ALL.len());
        for format in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_id(format.id()), Some(format));
            assert!(!format.menu_text().is_empty() && !format.purpose().is_empty());
            assert!(format.media_type().contains('/'));
        }
        assert_eq!(ExportFormat::from_id("unknown"), None);
        assert_eq!(ExportFormat::W3c.file_name("2024-03-25"), "crosscheck-w3c-2024-03-25.jsonld");
    }

    #[test]
    fn every_format_writes_the_default_project() {
        let project = Project::with_articles(crate::domain::corpus::default_articles());
        for format in ExportFormat::ALL {
            let bytes = format.write(&project, &ExportOptions::at(0));
            assert!(bytes.is_ok(), "{}", format.id());
        }
    }
}
