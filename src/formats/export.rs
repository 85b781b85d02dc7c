//! The export formats as one type: what the export menu lists, and the bytes each one writes.
//!
//! [`ExportFormat`] names every file Crosscheck can export. Each knows its `data-testid` id
//! (`export-<id>`), its menu text, the one line saying what it is for and which tool reads it,
//! its file extension and media type. [`ExportFormat::write`] produces the file from a project
//! and [`ExportOptions`]; there is no "unknown format": a new format is a new variant, and the
//! compiler lists every `match` that must learn it.

use crate::domain::project::Project;
use crate::formats::common::iso8601_utc;
use crate::formats::{
    brat, claim_review, csv, doccano, fever, jsonl, label_studio, nli, project_json, report, w3c, FormatError,
};

/// Every file the export menu offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// The whole project, re-importable.
    Project,
    /// spaCy / Prodigy JSON Lines: `text` plus `spans` with `start`/`end`/`label`.
    Jsonl,
    /// doccano's sequence labelling with relations (JSONL), one line per article.
    Doccano,
    /// The links doccano cannot hold (between two articles), beside the doccano file.
    DoccanoCrossArticleLinks,
    /// Label Studio tasks (JSON), one annotation per author.
    LabelStudio,
    /// The Label Studio labelling interface (`<Labels>` + `<Relations>`) for those tasks.
    LabelStudioConfig,
    /// One row per span.
    Csv,
    /// W3C Web Annotation JSON-LD.
    W3c,
    /// brat standoff, zipped.
    Brat,
    /// Natural-language-inference pairs.
    Nli,
    /// FEVER-style claim verification.
    Fever,
    /// schema.org ClaimReview JSON-LD.
    ClaimReview,
    /// The story report: one self-contained HTML page for editors.
    Report,
}

/// Choices the person makes in the export menu that change what a file holds.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    /// The export time (milliseconds since the Unix epoch), written into formats that date
    /// themselves.
    pub now: i64,
    /// Sampled neutral NLI rows per linked row (1.0 is 1:1).
    pub neutral_ratio: f64,
}

impl ExportOptions {
    /// The defaults, exported at `now`.
    pub fn at(now: i64) -> ExportOptions {
        ExportOptions { now, neutral_ratio: 1.0 }
    }
}

impl ExportFormat {
    /// Every format, in menu order.
    pub const ALL: [ExportFormat; 13] = [
        ExportFormat::Project,
        ExportFormat::Jsonl,
        ExportFormat::Doccano,
        ExportFormat::DoccanoCrossArticleLinks,
        ExportFormat::LabelStudio,
        ExportFormat::LabelStudioConfig,
        ExportFormat::Csv,
        ExportFormat::W3c,
        ExportFormat::Brat,
        ExportFormat::Nli,
        ExportFormat::Fever,
        ExportFormat::ClaimReview,
        ExportFormat::Report,
    ];

    /// The stable id: the menu button is `data-testid="export-<id>"` and the file is named
    /// `crosscheck-<id>-<date>.<extension>`.
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::Project => "project",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Doccano => "doccano",
            ExportFormat::DoccanoCrossArticleLinks => "doccano-cross-article-links",
            ExportFormat::LabelStudio => "label-studio",
            ExportFormat::LabelStudioConfig => "label-studio-config",
            ExportFormat::Csv => "csv",
            ExportFormat::W3c => "w3c",
            ExportFormat::Brat => "brat",
            ExportFormat::Nli => "nli",
            ExportFormat::Fever => "fever",
            ExportFormat::ClaimReview => "claimreview",
            ExportFormat::Report => "report",
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
            ExportFormat::Doccano => "doccano JSONL (spans and relations)",
            ExportFormat::DoccanoCrossArticleLinks => "Links between articles (JSONL, beside the doccano file)",
            ExportFormat::LabelStudio => "Label Studio tasks (JSON)",
            ExportFormat::LabelStudioConfig => "Label Studio labelling interface (XML)",
            ExportFormat::Csv => "CSV, one row per span",
            ExportFormat::W3c => "W3C Web Annotation (JSON-LD)",
            ExportFormat::Brat => "brat standoff (.zip)",
            ExportFormat::Nli => "NLI pairs (JSONL)",
            ExportFormat::Fever => "FEVER claim verification (JSONL)",
            ExportFormat::ClaimReview => "ClaimReview (schema.org JSON-LD)",
            ExportFormat::Report => "Story report (HTML)",
        }
    }

    /// One line: what the file is for and which tool reads it.
    pub fn purpose(self) -> &'static str {
        match self {
            ExportFormat::Project => "A backup or hand-over: Crosscheck imports it back exactly.",
            ExportFormat::Jsonl => {
                "Span training data: text with character-offset spans, as spaCy and Prodigy read them."
            }
            ExportFormat::Doccano => {
                "Import into a doccano sequence-labelling project with relations (JSONL(Relation)); allow overlapping spans."
            }
            ExportFormat::DoccanoCrossArticleLinks => {
                "doccano holds one article per example: the links between two articles are in this file instead."
            }
            ExportFormat::LabelStudio => {
                "Import into Label Studio: one task per article, one annotation per author, spans and links."
            }
            ExportFormat::LabelStudioConfig => {
                "Paste into the Label Studio project's Labeling Interface before importing the tasks."
            }
            ExportFormat::Csv => "Analysis in pandas, R or a spreadsheet; formula-like cells are neutralised.",
            ExportFormat::W3c => {
                "Interoperable annotations with directed links for RDF tools, Hypothesis-style viewers and Recogito."
            }
            ExportFormat::Brat => "Standoff .txt/.ann pairs for brat and the NLP tools that read its format.",
            ExportFormat::Nli => {
                "Entailment / neutral / contradiction pairs with their sentences, for NLI models (Hugging Face datasets, MultiNLI labels)."
            }
            ExportFormat::Fever => {
                "Claims labelled SUPPORTS / REFUTES / NOT ENOUGH INFO with their evidence, for fact-verification models (FEVER)."
            }
            ExportFormat::ClaimReview => {
                "Fact-check markup for claims with a verdict, as publishers embed it and Google's Fact Check Explorer reads it."
            }
            ExportFormat::Report => {
                "Who says what, every contradiction and verdict: one page to open in any browser, print or send."
            }
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Project => "json",
            ExportFormat::Jsonl
            | ExportFormat::Nli
            | ExportFormat::Fever
            | ExportFormat::Doccano
            | ExportFormat::DoccanoCrossArticleLinks => "jsonl",
            ExportFormat::LabelStudio => "json",
            ExportFormat::LabelStudioConfig => "xml",
            ExportFormat::Csv => "csv",
            ExportFormat::W3c | ExportFormat::ClaimReview => "jsonld",
            ExportFormat::Brat => "zip",
            ExportFormat::Report => "html",
        }
    }

    /// The media type of the download.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Project | ExportFormat::LabelStudio => "application/json",
            ExportFormat::Jsonl
            | ExportFormat::Nli
            | ExportFormat::Fever
            | ExportFormat::Doccano
            | ExportFormat::DoccanoCrossArticleLinks => "application/jsonl",
            ExportFormat::LabelStudioConfig => "application/xml",
            ExportFormat::Csv => "text/csv",
            ExportFormat::W3c | ExportFormat::ClaimReview => "application/ld+json",
            ExportFormat::Brat => "application/zip",
            ExportFormat::Report => "text/html",
        }
    }

    /// The download name for an export made on `date` (`YYYY-MM-DD`).
    pub fn file_name(self, date: &str) -> String {
        format!("crosscheck-{}-{date}.{}", self.id(), self.extension())
    }

    /// The main format a companion file goes with (shown in that format's row of the menu).
    pub fn companion_of(self) -> Option<ExportFormat> {
        match self {
            ExportFormat::DoccanoCrossArticleLinks => Some(ExportFormat::Doccano),
            ExportFormat::LabelStudioConfig => Some(ExportFormat::LabelStudio),
            _ => None,
        }
    }

    /// The file's bytes for `project`.
    pub fn write(self, project: &Project, options: &ExportOptions) -> Result<Vec<u8>, FormatError> {
        let text = match self {
            ExportFormat::Project => project_json::to_json(project),
            ExportFormat::Jsonl => jsonl::to_jsonl(project),
            ExportFormat::Doccano => doccano::to_doccano(project),
            ExportFormat::DoccanoCrossArticleLinks => doccano::to_cross_article_links(project),
            ExportFormat::LabelStudio => label_studio::to_label_studio(project),
            ExportFormat::LabelStudioConfig => label_studio::label_config(project),
            ExportFormat::Csv => csv::to_csv(project),
            ExportFormat::W3c => w3c::to_w3c(project, options.now),
            ExportFormat::Brat => return brat::to_brat_zip(project, options.now),
            ExportFormat::Nli => nli::to_nli_jsonl(project, options.neutral_ratio),
            ExportFormat::Fever => fever::to_fever_jsonl(project),
            ExportFormat::ClaimReview => claim_review::to_claim_review(project),
            ExportFormat::Report => {
                report::to_report_html(project, iso8601_utc(options.now).split('T').next().unwrap_or_default())
            }
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
