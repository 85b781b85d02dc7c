//! The plan of an import: what each picked or dropped file brings, checked against the project one
//! file at a time, with a report row per file a person can read.
//!
//! Every file is atomic on its own: its articles or annotations are applied to a preview project as
//! one all-or-nothing batch, so a file that fails leaves no trace, and a neighbour's failure never
//! throws away a file that succeeded. Articles go first (so annotation files dropped with their
//! articles anchor in them), then annotation files, in the order picked. Articles already in the
//! project (same text, hence same id) are skipped and reported as duplicates. A whole project
//! replaces the current one, and only when it is imported on its own.

use crate::formats::stored::recovery::{from_recovery_json, is_recovery, RECOVERY_FORMAT};
use std::rc::Rc;

use crate::domain::article::Article;
pub use crate::domain::import_report::{FileReport, FileStatus};
use crate::domain::project::{Edit, Project};
use crate::domain::state::NoticeLevel;
use crate::formats::upload::{classify, FileKind};
use crate::formats::web_page::{page_from_mhtml, WebPage};
use crate::formats::{corpus, project_json, w3c, FormatError};

/// What one file brings, once read (and, for web pages, once its article is extracted).
#[derive(Clone, Debug)]
pub enum Incoming {
    /// Articles from a corpus file or an extracted web page.
    Articles(Vec<Article>),
    /// W3C Web Annotation JSON, anchored in the project's articles when planned.
    Annotations(String),
    /// A whole Crosscheck project export.
    Project(Box<Project>),
}

/// A file read as far as the pure core can take it.
#[derive(Clone, Debug)]
pub enum ReadFile {
    Ready(Incoming),
    /// A web page (`.html`, `.mhtml`): its article is extracted in the browser.
    WebPage(WebPage),
}

/// Reads one file's bytes into what it brings, or says it is a web page to extract.
pub fn read_file(name: &str, bytes: &[u8]) -> Result<ReadFile, FormatError> {
    let utf8 = |bytes: &[u8]| -> Result<String, FormatError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|_| FormatError::at("", "the file is not UTF-8 text").in_file(name))
    };
    let incoming = match classify(name, bytes)? {
        FileKind::Corpus => Incoming::Articles(corpus::parse_corpus_file(name, bytes)?),
        FileKind::Html => return Ok(ReadFile::WebPage(WebPage::from_html(bytes))),
        FileKind::Mhtml => {
            return page_from_mhtml(bytes).map(ReadFile::WebPage).map_err(|error| error.in_file(name));
        }
        FileKind::W3c => Incoming::Annotations(utf8(bytes)?),
        FileKind::Project => {
            let json = utf8(bytes)?;
            // A recovery file ("Download your data" after a panic: `formats::stored::recovery`).
            let recovery = json.contains(RECOVERY_FORMAT)
                && serde_json::from_str::<serde_json::Value>(&json).is_ok_and(|value| is_recovery(&value));
            let project = match recovery {
                true => from_recovery_json(&json),
                false => project_json::from_json(&json).map(|(project, _)| project),
            };
            Incoming::Project(Box::new(project.map_err(|error| error.in_file(name))?))
        }
    };
    Ok(ReadFile::Ready(incoming))
}

/// One file as handed to [`plan_import`]: its name and what it brings, or the reason it failed
/// (with, for a page without an article, its whole text to offer instead).
#[derive(Clone, Debug)]
pub struct FileOutcome {
    pub file: String,
    pub result: Result<Incoming, String>,
    pub whole_page: Option<Article>,
}

impl FileOutcome {
    pub fn ok(file: &str, incoming: Incoming) -> FileOutcome {
        FileOutcome { file: file.to_string(), result: Ok(incoming), whole_page: None }
    }

    pub fn failed(file: &str, reason: String) -> FileOutcome {
        FileOutcome { file: file.to_string(), result: Err(reason), whole_page: None }
    }
}

/// What an import will do: one undoable edit (a batch of per-file batches) and a report row per
/// file, in the order the files came; or a whole project to open in place of the current one.
#[derive(Clone, Debug, Default)]
pub struct ImportPlan {
    pub edit: Option<Edit>,
    pub report: Vec<FileReport>,
    pub replace_with: Option<(String, Box<Project>)>,
    pub articles_added: usize,
    pub articles_skipped: usize,
    pub spans_added: usize,
    pub relations_added: usize,
    pub reanchored: usize,
    pub unanchored: usize,
}

fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

/// Plans the import of `files` into `project` (see the module docs). `now` stamps the edits.
pub fn plan_import(project: &Project, files: Vec<FileOutcome>, now: i64) -> ImportPlan {
    let mut plan = ImportPlan::default();
    let file_count = files.len();
    let mut rows: Vec<Option<FileReport>> = vec![None; file_count];
    let mut preview = project.clone();
    let mut edits = Vec::new();
    let mut annotation_files = Vec::new();
    for (index, outcome) in files.into_iter().enumerate() {
        let FileOutcome { file, result, whole_page } = outcome;
        rows[index] = Some(match result {
            Err(reason) => FileReport { whole_page: whole_page.map(Rc::new), ..FileReport::failed(&file, reason) },
            Ok(Incoming::Articles(articles)) => {
                plan_articles(&mut plan, &mut preview, &mut edits, &file, articles, now)
            }
            Ok(Incoming::Annotations(json)) => {
                annotation_files.push((index, file, json));
                continue;
            }
            Ok(Incoming::Project(incoming)) if file_count == 1 => {
                let detail = format!(
                    "a whole project: {}, {}, {}",
                    plural(incoming.articles().len(), "article"),
                    plural(incoming.spans().len(), "annotation"),
                    plural(incoming.relations().len(), "link")
                );
                plan.replace_with = Some((file.clone(), incoming));
                FileReport::new(&file, FileStatus::Imported, detail)
            }
            Ok(Incoming::Project(_)) => FileReport::failed(
                &file,
                "this is a whole project: import it on its own (it would replace the current one)".to_string(),
            ),
        });
    }
    for (index, file, json) in annotation_files {
        rows[index] = Some(plan_annotations(&mut plan, &mut preview, &mut edits, &file, &json, now));
    }
    plan.report = rows.into_iter().flatten().collect();
    if !edits.is_empty() {
        plan.edit = Some(Edit::Batch(edits));
    }
    plan
}

fn plan_articles(
    plan: &mut ImportPlan,
    preview: &mut Project,
    edits: &mut Vec<Edit>,
    file: &str,
    articles: Vec<Article>,
    now: i64,
) -> FileReport {
    let mut file_edits = Vec::new();
    let mut duplicates = Vec::new();
    for article in articles {
        let already_planned = file_edits
            .iter()
            .any(|edit| matches!(edit, Edit::InsertArticle { article: planned, .. } if planned.id == article.id));
        if let Some(existing) = preview.article(&article.id) {
            duplicates.push(existing.title.clone());
        } else if already_planned {
            duplicates.push(article.title.clone());
        } else {
            file_edits.push(Edit::InsertArticle { position: usize::MAX, article });
        }
    }
    let added = file_edits.len();
    if added == 0 {
        let detail = match duplicates.as_slice() {
            [title] => format!("same text as “{title}”, already in the project"),
            _ => format!("all {} articles are already in the project", duplicates.len()),
        };
        plan.articles_skipped += duplicates.len();
        return FileReport::new(file, FileStatus::Duplicate, detail);
    }
    let batch = Edit::Batch(file_edits);
    if let Err(error) = preview.apply(batch.clone(), now) {
        return FileReport::failed(file, format!("not imported: {error}"));
    }
    edits.push(batch);
    plan.articles_added += added;
    plan.articles_skipped += duplicates.len();
    let mut detail = plural(added, "article") + " added";
    if !duplicates.is_empty() {
        detail.push_str(&format!(", {} already in the project", duplicates.len()));
    }
    FileReport::new(file, FileStatus::Imported, detail)
}

fn plan_annotations(
    plan: &mut ImportPlan,
    preview: &mut Project,
    edits: &mut Vec<Edit>,
    file: &str,
    json: &str,
    now: i64,
) -> FileReport {
    let import = match w3c::from_w3c(json, preview, now) {
        Ok(import) => import,
        Err(error) => return FileReport::failed(file, in_file_if_unnamed(error, file).to_string()),
    };
    let (spans, relations, reanchored) = (import.spans.len(), import.relations.len(), import.reanchored.len());
    let unanchored: Vec<String> =
        import.unanchored.iter().map(|item| format!("{}: {}", item.annotation_id, item.reason)).collect();
    let edit = import.into_edit();
    if let Err(error) = preview.apply(edit.clone(), now) {
        return FileReport::failed(file, format!("not imported: {error}"));
    }
    edits.push(edit);
    plan.spans_added += spans;
    plan.relations_added += relations;
    plan.reanchored += reanchored;
    plan.unanchored += unanchored.len();
    let mut detail = format!("{} and {} added", plural(spans, "annotation"), plural(relations, "link"));
    if reanchored > 0 {
        detail.push_str(&format!(", {reanchored} re-anchored by their quote"));
    }
    if !unanchored.is_empty() {
        detail.push_str(&format!(
            "; {} could not be anchored and were not added: {}",
            unanchored.len(),
            unanchored.join(" • ")
        ));
    }
    FileReport::new(file, FileStatus::Imported, detail)
}

/// Names `file` unless the error already names a file.
pub fn in_file_if_unnamed(error: FormatError, file: &str) -> FormatError {
    if error.file.is_some() {
        error
    } else {
        error.in_file(file)
    }
}

impl ImportPlan {
    /// The one-line summary shown as a notice, and how loud it is.
    pub fn summary(&self) -> (NoticeLevel, String) {
        let failed: Vec<&FileReport> = self.report.iter().filter(|row| row.status == FileStatus::Failed).collect();
        let mut parts = Vec::new();
        if self.articles_added > 0 || self.articles_skipped > 0 {
            parts.push(plural(self.articles_added, "article") + " added");
        }
        if self.articles_skipped > 0 {
            parts.push(format!("{} already in the project and skipped", self.articles_skipped));
        }
        if self.spans_added > 0 || self.relations_added > 0 {
            parts.push(format!("{} annotations and {} links added", self.spans_added, self.relations_added));
        }
        if self.reanchored > 0 {
            parts.push(format!("{} re-anchored by their quote", self.reanchored));
        }
        if self.unanchored > 0 {
            parts.push(format!("{} could not be anchored", self.unanchored));
        }
        let failures: Vec<String> = failed.iter().map(|row| format!("{}: {}", row.file, row.detail)).collect();
        let text = match (parts.is_empty(), failures.is_empty()) {
            (true, true) => "Nothing to import.".to_string(),
            (true, false) => format!("Nothing was imported. {}", failures.join(" • ")),
            (false, true) => format!("Imported: {}.", parts.join(", ")),
            (false, false) => format!(
                "Imported: {}. {} failed: {}",
                parts.join(", "),
                plural(failures.len(), "file"),
                failures.join(" • ")
            ),
        };
        let level = if !failed.is_empty() && parts.is_empty() {
            NoticeLevel::Error
        } else if !failed.is_empty() || self.unanchored > 0 {
            NoticeLevel::Warning
        } else {
            NoticeLevel::Info
        };
        (level, text)
    }
}

#[cfg(test)]
#[path = "import_plan_tests.rs"]
mod tests;
