#![cfg(not(target_arch = "wasm32"))]
//! Taking over a colleague's annotation (issue 15), a span or a link: the take-over is recorded
//! (who, when, from whom) and travels everywhere the annotation does — the stored v2 document, the
//! wire form sent to CouchDB and back, and the project export — and a hostile take-over record
//! from the server is skipped like any malformed document.

mod common;

use crosscheck::domain::annotation::{Relation, RelationId, Span, SpanId, TakeOver};
use crosscheck::domain::annotators::{owner, take_over, Owner};
use crosscheck::domain::attributes::LabelKeys;
use crosscheck::domain::project::{Edit, Project};
use crosscheck::formats::project_json::{from_json, to_json};
use crosscheck::formats::stored::docs::{ArticleRefs, RelationBody, SpanBody};
use crosscheck::formats::sync::mapping::{stored_to_wire, wire_to_stored, MappingContext};
use crosscheck::formats::sync::revision::Rev;
use crosscheck::formats::sync::validate::{check, Checked};
use serde_json::{json, Value};

/// A project where bob tagged a span and ann took it over at time 500.
fn taken_over_by_ann() -> (Project, Span) {
    let mut project = common::project_of(&["Rafah: 1.4 million people sheltered in the city."]);
    common::add_span(&mut project, "s1", "bob", 0, (0, 5), "claim", &[]);
    let bobs = project.spans()[&SpanId::from("s1")].clone();
    assert_eq!(owner(&bobs.author, "ann"), Owner::Colleague("bob".to_string()), "read-only for ann");
    let taken = take_over(&*bobs, "ann", 500).expect("ann may take bob's span over");
    project.apply(Edit::UpdateSpan(taken), 500).expect("a take-over is an ordinary edit");
    let span = (*project.spans()[&SpanId::from("s1")]).clone();
    assert_eq!(span.author, "ann");
    assert_eq!(span.take_overs, vec![TakeOver { from: "bob".to_string(), by: "ann".to_string(), at: 500 }]);
    (project, span)
}

#[test]
fn a_take_over_is_kept_in_the_project_export_and_read_back() {
    let (project, span) = taken_over_by_ann();
    let json = to_json(&project);
    let exported: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(exported["spans"][0]["take_overs"], json!([{"from": "bob", "by": "ann", "at": 500}]));
    assert_eq!(exported["spans"][0]["author"], "ann");
    let (loaded, _) = from_json(&json).unwrap();
    assert_eq!(*loaded.spans()[&span.id], span);
    assert_eq!(to_json(&loaded), json, "export → import → export is byte-identical");
}

#[test]
fn a_span_nobody_took_over_exports_as_before() {
    let mut project = common::project_of(&["Rafah: 1.4 million people sheltered in the city."]);
    common::add_span(&mut project, "s1", "bob", 0, (0, 5), "claim", &[]);
    assert!(!to_json(&project).contains("take_overs"));
}

#[test]
fn a_take_over_is_stored_in_the_span_document_and_travels_readable_on_the_wire() {
    let (project, span) = taken_over_by_ann();
    let refs = ArticleRefs::of(&project);
    let doc = SpanBody::doc(&span, project.label(&span.label), &refs);
    let (stored, _) = doc.to_json_with_rev(None);
    let body: SpanBody = serde_json::from_value(serde_json::from_str::<Value>(&stored).unwrap()["d"].clone()).unwrap();
    let label = project.label(&span.label);
    let keys = label.map(LabelKeys::of);
    let label = label.zip(keys.as_ref());
    let back = body.into_span(
        span.id.clone(),
        "ann".to_string(),
        span.modified,
        span.article.clone(),
        span.text.clone(),
        label,
    );
    assert_eq!(back, span, "the stored v2 document keeps the take-over");

    let context = MappingContext::new(&project);
    let (wire, deleted) = stored_to_wire("span:s1", &stored, &context).unwrap();
    assert!(!deleted);
    assert_eq!(wire["author"], "ann");
    assert_eq!(wire["data"]["take_overs"], json!([{"from": "bob", "by": "ann", "at": 500}]));
    let rev = Rev::parse("2-abcdef01").unwrap();
    let stored_back = wire_to_stored("span:s1", &wire, &rev, false, &context).unwrap();
    assert_eq!(stored_to_wire("span:s1", &stored_back, &context).unwrap().0, wire, "what a peer sends back");
}

#[test]
fn a_hostile_take_over_record_from_the_server_is_skipped() {
    let (project, span) = taken_over_by_ann();
    let length = |_: &crosscheck::domain::article::ArticleId| Some(48);
    let document = |take_overs: Value| {
        json!({"_id": "span:s1", "_rev": "2-abcdef01", "author": "ann", "modified": 500,
               "data": {"article": span.article.as_str(), "start": 0, "end": 5, "label": "claim",
                        "take_overs": take_overs}})
    };
    only_sound_records_pass(document, &length);
    drop(project);
}

/// A document built by `document` around a take-over record passes validation with a sound
/// record and is rejected with each hostile one.
fn only_sound_records_pass(
    document: impl Fn(Value) -> Value,
    length: &dyn Fn(&crosscheck::domain::article::ArticleId) -> Option<usize>,
) {
    assert!(matches!(check(&document(json!([{"from": "bob", "by": "ann", "at": 500}])), length), Checked::Accepted(_)));
    for hostile in [
        json!([{"from": "", "by": "ann", "at": 500}]),
        json!([{"from": "bob", "by": "ann\u{0007}", "at": 500}]),
        json!([{"from": "bob", "by": "ann"}]),
        json!("bob"),
    ] {
        assert!(matches!(check(&document(hostile.clone()), length), Checked::Rejected(_)), "{hostile}");
    }
}

/// A project where bob linked two spans and ann took the link over at time 700.
fn link_taken_over_by_ann() -> (Project, Relation) {
    let mut project = common::project_of(&["Rafah: 1.4 million people sheltered in the city. 1 million, says the UN."]);
    let from = common::add_span(&mut project, "s1", "bob", 0, (7, 18), "claim", &[]);
    let to = common::add_span(&mut project, "s2", "bob", 0, (50, 59), "claim", &[]);
    common::add_link(&mut project, "r1", "bob", "contradicts", &from, &to, "");
    let bobs = project.relations()[&RelationId::from("r1")].clone();
    assert_eq!(owner(&bobs.author, "ann"), Owner::Colleague("bob".to_string()), "bob's link is read-only for ann");
    let taken = take_over(&*bobs, "ann", 700).expect("ann may take bob's link over");
    assert_eq!(take_over(&taken, "ann", 701), None, "hers already: nothing to take over");
    project.apply(Edit::UpdateRelation(taken), 700).expect("a take-over is an ordinary edit");
    let relation = (*project.relations()[&RelationId::from("r1")]).clone();
    assert_eq!(relation.author, "ann");
    assert_eq!(relation.take_overs, vec![TakeOver { from: "bob".to_string(), by: "ann".to_string(), at: 700 }]);
    (project, relation)
}

#[test]
fn a_link_take_over_is_kept_in_the_project_export_and_read_back() {
    let (project, relation) = link_taken_over_by_ann();
    let json = to_json(&project);
    let exported: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(exported["relations"][0]["take_overs"], json!([{"from": "bob", "by": "ann", "at": 700}]));
    assert_eq!(exported["relations"][0]["author"], "ann");
    let (loaded, _) = from_json(&json).unwrap();
    assert_eq!(*loaded.relations()[&relation.id], relation);
    assert_eq!(to_json(&loaded), json, "export → import → export is byte-identical");
}

#[test]
fn a_link_take_over_is_stored_in_the_link_document_and_travels_readable_on_the_wire() {
    let (project, relation) = link_taken_over_by_ann();
    let (stored, _) = RelationBody::doc(&relation).to_json_with_rev(None);
    let body: RelationBody =
        serde_json::from_value(serde_json::from_str::<Value>(&stored).unwrap()["d"].clone()).unwrap();
    let back = body.into_relation(relation.id.clone(), "ann".to_string(), relation.modified);
    assert_eq!(back, relation, "the stored v2 document keeps the take-over");

    let context = MappingContext::new(&project);
    let (wire, deleted) = stored_to_wire("rel:r1", &stored, &context).unwrap();
    assert!(!deleted);
    assert_eq!(wire["author"], "ann");
    assert_eq!(wire["data"]["take_overs"], json!([{"from": "bob", "by": "ann", "at": 700}]));
    let rev = Rev::parse("2-abcdef01").unwrap();
    let stored_back = wire_to_stored("rel:r1", &wire, &rev, false, &context).unwrap();
    assert_eq!(stored_to_wire("rel:r1", &stored_back, &context).unwrap().0, wire, "what a peer sends back");
}

#[test]
fn a_hostile_link_take_over_record_from_the_server_is_skipped() {
    let length = |_: &crosscheck::domain::article::ArticleId| Some(80);
    let document = |take_overs: Value| {
        json!({"_id": "rel:r1", "_rev": "2-abcdef01", "author": "ann", "modified": 700,
               "data": {"type": "contradicts", "from": "s1", "to": "s2", "take_overs": take_overs}})
    };
    only_sound_records_pass(document, &length);
}
