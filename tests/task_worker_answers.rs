#![cfg(not(target_arch = "wasm32"))]
//! The task worker answers what the main thread answered before it existed: every export of a
//! project sent as project JSON (written a page at a time and joined in the worker) has the same
//! bytes as the export of the project itself, and the suggestions of a run over the sent project,
//! carried back in JSON pages, equal the run's own.

mod common;
#[path = "consumers/sample.rs"]
#[allow(dead_code)]
mod sample;

use crosscheck::domain::project::Project;
use crosscheck::domain::suggest::{Suggestion, SuggestionRun};
use crosscheck::formats::export::{ExportFormat, ExportOptions};
use crosscheck::formats::project_json::{relations_json, spans_json, to_json, to_json_without_items};
use crosscheck::formats::task_messages::{
    export_file, header_json, join_project_pages, read_project, suggestion_replies, TaskReply,
};

/// The project as the main thread sends it: `page` spans or relations per page, joined again.
fn sent_in_pages(project: &Project, page: usize) -> String {
    let spans: Vec<_> = project.spans().values().collect();
    let relations: Vec<_> = project.relations().values().collect();
    let span_pages: Vec<String> =
        spans.chunks(page).map(|chunk| spans_json(chunk.iter().map(|span| &***span))).collect();
    let relation_pages: Vec<String> =
        relations.chunks(page).map(|chunk| relations_json(chunk.iter().map(|relation| &***relation))).collect();
    join_project_pages(&to_json_without_items(project), &span_pages, &relation_pages).expect("joined")
}

#[test]
fn a_project_sent_in_pages_is_joined_to_the_bytes_of_the_whole_project_json() {
    let project = sample::sample_project().expect("sample");
    assert!(project.spans().len() > 3 && !project.relations().is_empty(), "the sample has spans and links");
    for page in [1, 2, 3, 1_000] {
        assert!(sent_in_pages(&project, page) == to_json(&project), "pages of {page} join to the project JSON");
    }
    let empty = Project::default();
    assert_eq!(sent_in_pages(&empty, 5), to_json(&empty));
}

#[test]
fn every_export_made_in_the_worker_has_the_bytes_of_the_main_thread_export() {
    let project = sample::sample_project().expect("sample");
    let options = ExportOptions { neutral_ratio: 2.0, ..ExportOptions::at(1_700_000_000_000) };
    let sent = sent_in_pages(&project, 2);
    for format in ExportFormat::ALL {
        let here = format.write(&project, &options).expect("export");
        let there = export_file(format.id(), &options, &sent).expect("worker export");
        assert!(here == there, "{} differs when made in the worker", format.id());
    }
}

#[test]
fn suggestions_found_in_the_worker_are_the_ones_found_here() {
    let mut project = common::suggestions::project();
    common::tag(&mut project, "s-1", 0, (0, 10), "claim", 1);
    let here = SuggestionRun::new(&project).finish();
    assert!(here.len() > 20, "the default corpus has suggestions");
    let there = SuggestionRun::new(&read_project(&to_json(&project)).expect("read back")).finish();
    // Enough suggestions for several pages, each reply read back in turn.
    let many: Vec<Suggestion> = there.iter().cycle().take(there.len() * 40).cloned().collect();
    let mut received: Vec<Suggestion> = Vec::new();
    let replies = suggestion_replies(1, many.clone());
    assert!(replies.len() > 2, "several pages");
    for (index, reply) in replies.iter().enumerate() {
        let Ok(TaskReply::Suggestions { suggestions, last, .. }) =
            serde_json::from_str::<TaskReply>(&header_json(reply))
        else {
            panic!("the reply reads back")
        };
        assert_eq!(last, index + 1 == replies.len());
        received.extend(suggestions);
    }
    assert_eq!(received, many);
    assert_eq!(&received[..here.len()], &here[..]);
}
