//! Accepting a suggestion: the [`Edit`] that creates what it proposes, as one undoable step.
//!
//! A span suggestion becomes `AddSpan` with the proposed attributes over the label's defaults; a
//! quote with a known speaker mention also gets the Speaker span (or reuses an identical one)
//! and an `attributed-to` link. A link suggestion adds the proposed ends it still needs (reusing
//! identical spans) and the relation. Ids come from the caller's generator, so the UI keeps its
//! own id scheme, and `now` stamps everything created. [`accept_all`] and [`reject_all`] make one
//! undoable step of many.

use std::borrow::Borrow;

use crate::domain::annotation::{RelationId, Span, SpanId};
use crate::domain::ids::RelationTypeId;
use crate::domain::project::{self, Edit, EditError, Project};
use crate::domain::schema;
use crate::domain::suggest::{LinkEnd, OpenSuggestions, ProposedSpan, Suggestion, SuggestionTarget};

/// The edit that accepts `suggestion` in `project`: always an [`Edit::Batch`], to apply with
/// [`Project::apply`]. `next_id` is called once per span or relation created.
pub fn accept(
    project: &Project,
    suggestion: &Suggestion,
    next_id: &mut dyn FnMut() -> String,
    now: i64,
) -> Result<Edit, EditError> {
    let mut edits = Vec::new();
    match &suggestion.target {
        SuggestionTarget::Span { span, speaker } => {
            let (span_id, created) = span_for(project, span, next_id, now)?;
            if let Some(created) = created {
                edits.push(Edit::AddSpan(created));
            }
            if let Some(speaker) = speaker {
                let (speaker_id, created) = span_for(project, speaker, next_id, now)?;
                if let Some(created) = created {
                    edits.push(Edit::AddSpan(created));
                }
                let already_linked = project.relations().values().any(|relation| {
                    relation.relation_type == schema::ATTRIBUTED_TO
                        && relation.from == span_id
                        && relation.to == speaker_id
                });
                if project.relation_type(schema::ATTRIBUTED_TO).is_some() && !already_linked {
                    let mut relation = project::new_relation(
                        project,
                        RelationId::from(next_id()),
                        &RelationTypeId::from(schema::ATTRIBUTED_TO),
                        span_id,
                        speaker_id,
                        now,
                    );
                    relation.suggestion = Some(suggestion.key.clone());
                    edits.push(Edit::AddRelation(relation));
                }
            }
        }
        SuggestionTarget::Link { relation_type, kind, from, to } => {
            let mut ends = Vec::new();
            for end in [from, to] {
                let id = match end {
                    LinkEnd::Existing { span, .. } => {
                        if !project.spans().contains_key(span) {
                            return Err(EditError::UnknownSpan(span.clone()));
                        }
                        span.clone()
                    }
                    LinkEnd::Proposed(proposed) => {
                        let (id, created) = span_for(project, proposed, next_id, now)?;
                        if let Some(created) = created {
                            edits.push(Edit::AddSpan(created));
                        }
                        id
                    }
                };
                ends.push(id);
            }
            let (from_id, to_id) = (ends[0].clone(), ends[1].clone());
            let mut relation =
                project::new_relation(project, RelationId::from(next_id()), relation_type, from_id, to_id, now);
            relation.kind = kind.clone();
            relation.note = suggestion.reason.clone();
            relation.suggestion = Some(suggestion.key.clone());
            edits.push(Edit::AddRelation(relation));
        }
    }
    Ok(Edit::Batch(edits))
}

/// The id of a span identical to `proposed` (same article, offsets and label), or a new span
/// with the proposed attributes over the label's defaults.
fn span_for(
    project: &Project,
    proposed: &ProposedSpan,
    next_id: &mut dyn FnMut() -> String,
    now: i64,
) -> Result<(SpanId, Option<Span>), EditError> {
    if let Some(existing) = project
        .spans_overlapping(&proposed.article, proposed.start, proposed.end)
        .iter()
        .find(|span| proposed.is_same_as(span))
    {
        return Ok((existing.id.clone(), None));
    }
    let article =
        project.article(&proposed.article).ok_or_else(|| EditError::UnknownArticle(proposed.article.clone()))?;
    let id = SpanId::from(next_id());
    let mut span = project::new_span(project, id.clone(), article, proposed.start, proposed.end, &proposed.label, now)
        .ok_or(EditError::BadRange { start: proposed.start, end: proposed.end, length: article.char_len() })?;
    if span.text != proposed.text {
        return Err(EditError::TextMismatch { expected: span.text.to_string(), found: proposed.text.clone() });
    }
    for (key, value) in &proposed.attributes {
        span.attributes.insert(key.clone(), value.clone());
    }
    Ok((id, Some(span)))
}

/// The edit that rejects `suggestion`, so that [`suggest_all`](crate::domain::suggest::suggest_all)
/// no longer proposes it (undoable like any edit).
pub fn reject(suggestion: &Suggestion) -> Edit {
    Edit::RejectSuggestion(suggestion.key.clone())
}

/// What [`accept_all`] accepts: one batch of one acceptance batch per suggestion accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptedAll {
    pub edit: Edit,
    pub accepted: usize,
}

/// Accepts `suggestions` in order as one undoable step, each against the project as the ones
/// before it left it: a suggestion no longer open (an earlier one covered or linked it, or it was
/// rejected) is skipped, and so is one whose acceptance the project refuses (its text no longer
/// matches, its span is gone). `None` when none is accepted.
pub fn accept_all<S: Borrow<Suggestion>>(
    project: &Project,
    suggestions: &[S],
    next_id: &mut dyn FnMut() -> String,
    now: i64,
) -> Option<AcceptedAll> {
    let mut preview = project.clone();
    let mut open = OpenSuggestions::new(project);
    let mut edits = Vec::new();
    for suggestion in suggestions.iter().map(Borrow::borrow) {
        if !open.is_open(suggestion) {
            continue;
        }
        let Ok(edit) = accept(&preview, suggestion, next_id, now) else { continue };
        if preview.apply(edit.clone(), now).is_ok() {
            open.record(&edit);
            edits.push(edit);
        }
    }
    let accepted = edits.len();
    (accepted > 0).then_some(AcceptedAll { edit: Edit::Batch(edits), accepted })
}

/// Rejects `suggestions` as one undoable step, remembered in the project. `None` when there are
/// none.
pub fn reject_all<S: Borrow<Suggestion>>(suggestions: &[S]) -> Option<Edit> {
    let edits: Vec<Edit> = suggestions.iter().map(|suggestion| reject(suggestion.borrow())).collect();
    (!edits.is_empty()).then_some(Edit::Batch(edits))
}
