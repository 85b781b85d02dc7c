//! The per-file report of an import and its progress, as the app state holds and shows them.

use std::rc::Rc;

use crate::domain::article::Article;

/// How one imported file fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStatus {
    Imported,
    /// Everything it holds is already in the project (or earlier in the same drop).
    Duplicate,
    Failed,
}

impl FileStatus {
    /// The word used in `data-status` and in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Imported => "imported",
            FileStatus::Duplicate => "duplicate",
            FileStatus::Failed => "failed",
        }
    }
}

/// One row of the per-file report.
#[derive(Clone, Debug, PartialEq)]
pub struct FileReport {
    pub file: String,
    pub status: FileStatus,
    /// What was added, or why nothing was.
    pub detail: String,
    /// For a web page without a recognisable article: the whole page's text, offered instead.
    pub whole_page: Option<Rc<Article>>,
}

impl FileReport {
    pub fn new(file: &str, status: FileStatus, detail: String) -> FileReport {
        FileReport { file: file.to_string(), status, detail, whole_page: None }
    }

    /// A failed file; a reason that starts with the file's name (as a `FormatError` does) loses
    /// that prefix, since the row names the file already.
    pub fn failed(file: &str, reason: String) -> FileReport {
        let detail = reason.strip_prefix(file).and_then(|rest| rest.strip_prefix(": ")).map(str::to_string);
        FileReport::new(file, FileStatus::Failed, detail.unwrap_or(reason))
    }
}

/// An import under way or finished: how many files of how many are read, then the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportRun {
    pub total: usize,
    pub done: usize,
    /// Empty until the import is finished.
    pub report: Rc<Vec<FileReport>>,
}

impl ImportRun {
    /// The fewest files for which a progress bar is shown.
    pub const PROGRESS_FROM: usize = 10;

    pub fn is_finished(&self) -> bool {
        !self.report.is_empty()
    }

    pub fn shows_progress(&self) -> bool {
        !self.is_finished() && self.total >= ImportRun::PROGRESS_FROM
    }

    /// The report is worth a panel of its own for several files, or when a row offers something.
    pub fn shows_report(&self) -> bool {
        self.report.len() > 1 || self.report.iter().any(|row| row.whole_page.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::state::{AppAction, AppState};

    #[test]
    fn progress_shows_from_ten_files_and_the_report_replaces_it() {
        let running = |total| ImportRun { total, done: 3, report: Rc::default() };
        assert!(!running(9).shows_progress());
        assert!(running(10).shows_progress());
        let rows = vec![
            FileReport::new("a.html", FileStatus::Imported, "1 article added".to_string()),
            FileReport::failed("b.html", "b.html: no article found".to_string()),
        ];
        assert_eq!(rows[1].detail, "no article found");
        let finished = ImportRun { total: 2, done: 2, report: Rc::new(rows) };
        assert!(finished.is_finished() && !finished.shows_progress() && finished.shows_report());
        let state = AppState::default().reduce(AppAction::SetImport(Some(finished.clone())));
        assert_eq!(state.import, Some(finished));
        assert_ne!(state, AppState::default(), "the report is part of what re-renders");
        assert_eq!(state.reduce(AppAction::SetImport(None)).import, None);
    }
}
