//! The task worker's messages: what the app asks of the worker that holds the suggesters and
//! the dataset exports (`src/bin/task_worker.rs`), and what it answers.
//!
//! Each message is a JavaScript array `[header, payload…]`: the header is one of these types in
//! JSON. A request's payload is the project as the *project* export's JSON
//! ([`project_json::to_json`], lossless: every export and every suggester reads only what it
//! holds), sent in pieces that the main thread writes a page at a time, in tasks of their own
//! (`[header, base, span pages, relation pages]`, see [`join_project_pages`]); an export's reply
//! carries the file's bytes (a `Uint8Array`). A run's suggestions come back in pages of
//! [`SUGGESTIONS_PER_REPLY`], each read in a task of its own. Both ends are the same build, so
//! the shapes here are never stored and carry no version.
//!
//! What the worker does with a request is here too ([`read_project`], [`export_file`]), pure, so
//! that `cargo test` holds the worker's answers to the ones the app gave on the main thread.

use serde::{Deserialize, Serialize};

use crate::domain::project::Project;
use crate::domain::suggest::{Progress, Suggestion};
use crate::formats::export::{ExportFormat, ExportOptions};
use crate::formats::project_json;

/// What the app asks the worker. Ids grow per page; a reply carries its request's id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskRequest {
    /// Every suggester over the project in the payload, with progress after each chunk. A newer
    /// `Suggest` or a `Cancel` of this id stops it at its next chunk.
    Suggest { id: u32 },
    /// Stops the suggestion run `id` (no reply).
    Cancel { id: u32 },
    /// The export `format` (an [`ExportFormat::id`]) of the project in the payload.
    Export { id: u32, format: String, now: i64, neutral_ratio: f64 },
}

/// What the worker answers (besides the bare string `ready`, once it listens).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskReply {
    /// A suggestion run has read `paragraphs_done` of `paragraphs_total` paragraphs.
    Progress { id: u32, paragraphs_done: usize, paragraphs_total: usize },
    /// A page of the run's open suggestions, in the order `SuggestionRun::finish` returns them;
    /// `last` on the final page (an empty run sends one empty page).
    Suggestions { id: u32, suggestions: Vec<Suggestion>, last: bool },
    /// The export's bytes are the payload.
    Exported { id: u32 },
    /// The request `id` failed; `message` says why, in words for the person.
    Failed { id: u32, message: String },
}

/// [`TaskReply`] as the main thread reads it when it arrives: a page of suggestions without the
/// suggestions, which [`suggestions_of`] reads afterwards in the suggestions panel's module
/// (their deserializers are not part of the first load).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskReplyHead {
    Progress { id: u32, paragraphs_done: usize, paragraphs_total: usize },
    Suggestions { id: u32, last: bool },
    Exported { id: u32 },
    Failed { id: u32, message: String },
}

/// The suggestions of a [`TaskReply::Suggestions`] header.
pub fn suggestions_of(header: &str) -> Result<Vec<Suggestion>, String> {
    match serde_json::from_str::<TaskReply>(header) {
        Ok(TaskReply::Suggestions { suggestions, .. }) => Ok(suggestions),
        Ok(_) => Err("the reply holds no suggestions".to_string()),
        Err(error) => Err(error.to_string()),
    }
}

impl TaskRequest {
    /// The request's id (the run a `Cancel` stops).
    pub fn id(&self) -> u32 {
        match self {
            TaskRequest::Suggest { id } | TaskRequest::Cancel { id } | TaskRequest::Export { id, .. } => *id,
        }
    }
}

impl TaskReply {
    pub fn progress(id: u32, progress: Progress) -> TaskReply {
        TaskReply::Progress {
            id,
            paragraphs_done: progress.paragraphs_done,
            paragraphs_total: progress.paragraphs_total,
        }
    }

    /// The request this answers.
    pub fn id(&self) -> u32 {
        match self {
            TaskReply::Progress { id, .. }
            | TaskReply::Suggestions { id, .. }
            | TaskReply::Exported { id }
            | TaskReply::Failed { id, .. } => *id,
        }
    }
}

/// How many suggestions one reply carries: reading a page takes the main thread a few
/// milliseconds (all 9,683 of the benchmark corpus in one reply took 300–600 ms).
pub const SUGGESTIONS_PER_REPLY: usize = 300;

/// How many spans or relations the main thread writes into one page of a request's project.
pub const ITEMS_PER_PAGE: usize = 1_000;

/// The replies that carry a run's `suggestions`, a page each.
pub fn suggestion_replies(id: u32, suggestions: Vec<Suggestion>) -> Vec<TaskReply> {
    let mut pages: Vec<Vec<Suggestion>> = Vec::new();
    let mut rest = suggestions.into_iter().peekable();
    while rest.peek().is_some() {
        pages.push(rest.by_ref().take(SUGGESTIONS_PER_REPLY).collect());
    }
    if pages.is_empty() {
        pages.push(Vec::new());
    }
    let count = pages.len();
    pages
        .into_iter()
        .enumerate()
        .map(|(index, suggestions)| TaskReply::Suggestions { id, suggestions, last: index + 1 == count })
        .collect()
}

/// The project JSON of a request, put back together from the pieces the main thread sent:
/// `project_json::to_json_without_items` and the pages of `project_json::spans_json` and
/// `relations_json`, in order. The result has the bytes of `to_json`.
pub fn join_project_pages(base: &str, span_pages: &[String], relation_pages: &[String]) -> Result<String, String> {
    let mut joined = base.to_string();
    for (key, pages) in [("\"spans\":[", span_pages), ("\"relations\":[", relation_pages)] {
        // Inside a JSON string a quote is escaped, so the key appears once, as the key.
        let empty = format!("{key}]");
        let at = joined.find(&empty).ok_or_else(|| format!("the project sent to the worker has no {key}]"))?;
        let body: Vec<&str> = pages.iter().map(String::as_str).filter(|page| !page.is_empty()).collect();
        joined.replace_range(at..at + empty.len(), &format!("{key}{}]", body.join(",")));
    }
    Ok(joined)
}

/// A message's header in JSON (plain data: serialising it cannot fail).
pub fn header_json<T: Serialize>(header: &T) -> String {
    serde_json::to_string(header).unwrap_or_default()
}

/// The project a request carries, read back from its project JSON.
pub fn read_project(json: &str) -> Result<Project, String> {
    project_json::from_json(json)
        .map(|(project, _)| project)
        .map_err(|error| format!("the project sent to the worker could not be read: {error}"))
}

/// The bytes of the export `format` (an id) of the project in `project_json`.
pub fn export_file(format: &str, options: &ExportOptions, project_json: &str) -> Result<Vec<u8>, String> {
    let format = ExportFormat::from_id(format).ok_or_else(|| format!("unknown export format {format}"))?;
    let project = read_project(project_json)?;
    format.write(&project, options).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_read_back_as_written() {
        let request = TaskRequest::Export { id: 7, format: "csv".into(), now: 1_700_000_000_000, neutral_ratio: 1.5 };
        let json = header_json(&request);
        assert_eq!(serde_json::from_str::<TaskRequest>(&json).ok(), Some(request));
        let reply = TaskReply::Failed { id: 3, message: "no".into() };
        assert_eq!(serde_json::from_str::<TaskReply>(&header_json(&reply)).ok().map(|reply| reply.id()), Some(3));
    }

    #[test]
    fn suggestions_go_back_in_pages_and_an_empty_run_in_one_empty_page() {
        let replies = suggestion_replies(4, Vec::new());
        assert_eq!(replies, vec![TaskReply::Suggestions { id: 4, suggestions: Vec::new(), last: true }]);
    }

    /// The main thread reads a reply's head when it arrives and a page's suggestions later, in
    /// another module: together they give back every suggestion the worker sent, in order.
    #[test]
    fn a_reply_read_as_head_then_suggestions_gives_what_the_worker_sent() {
        let project = Project::with_articles(crate::domain::corpus::default_articles());
        let found = crate::domain::suggest::suggest_all(&project);
        let sent: Vec<Suggestion> = found.iter().cycle().take(2 * SUGGESTIONS_PER_REPLY + 7).cloned().collect();
        assert!(sent.len() > SUGGESTIONS_PER_REPLY, "{} suggestions: more than one page", sent.len());
        let mut read = Vec::new();
        let headers: Vec<String> = suggestion_replies(9, sent.clone()).iter().map(header_json).collect();
        for (index, header) in headers.iter().enumerate() {
            let last = index + 1 == headers.len();
            assert_eq!(
                serde_json::from_str::<TaskReplyHead>(header).unwrap(),
                TaskReplyHead::Suggestions { id: 9, last }
            );
            read.extend(suggestions_of(header).unwrap());
        }
        assert_eq!(read, sent);
        let others = [
            (
                TaskReply::Progress { id: 1, paragraphs_done: 2, paragraphs_total: 3 },
                TaskReplyHead::Progress { id: 1, paragraphs_done: 2, paragraphs_total: 3 },
            ),
            (TaskReply::Exported { id: 4 }, TaskReplyHead::Exported { id: 4 }),
            (TaskReply::Failed { id: 5, message: "no".into() }, TaskReplyHead::Failed { id: 5, message: "no".into() }),
        ];
        for (reply, head) in others {
            let header = header_json(&reply);
            assert_eq!(serde_json::from_str::<TaskReplyHead>(&header).unwrap(), head);
            assert!(suggestions_of(&header).is_err());
        }
        assert!(suggestions_of(r#"{"suggestions":{"id":1,"suggestions":[{"no":1}],"last":true}}"#).is_err());
    }

    #[test]
    fn a_project_without_its_items_is_refused_when_its_arrays_are_missing() {
        assert!(join_project_pages("{}", &[], &[]).is_err());
    }

    #[test]
    fn an_unknown_format_or_a_broken_project_is_an_error_not_a_panic() {
        assert!(export_file("nope", &ExportOptions::at(0), "{}").is_err());
        assert!(export_file("csv", &ExportOptions::at(0), "{not json").is_err());
    }
}
