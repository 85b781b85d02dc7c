#![cfg(not(target_arch = "wasm32"))]
//! The task worker answers what the main thread answered before it existed: every export of a
//! project sent as project JSON has the same bytes as the export of the project itself, and the
//! suggestions of a run over the sent project, carried back in JSON, equal the run's own.

mod common;
#[path = "consumers/sample.rs"]
#[allow(dead_code)]
mod sample;

use crosscheck::domain::suggest::{Suggestion, SuggestionRun};
use crosscheck::formats::export::{ExportFormat, ExportOptions};
use crosscheck::formats::project_json::to_json;
use crosscheck::formats::task_messages::{export_file, header_json, read_project, TaskReply};

#[test]
fn every_export_made_in_the_worker_has_the_bytes_of_the_main_thread_export() {
    let project = sample::sample_project().expect("sample");
    let options = ExportOptions { neutral_ratio: 2.0, ..ExportOptions::at(1_700_000_000_000) };
    let sent = to_json(&project);
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
    let reply = header_json(&TaskReply::Suggestions { id: 1, suggestions: there });
    let Ok(TaskReply::Suggestions { suggestions, .. }) = serde_json::from_str::<TaskReply>(&reply) else {
        panic!("the reply reads back")
    };
    let suggestions: Vec<Suggestion> = suggestions;
    assert_eq!(suggestions, here);
}
