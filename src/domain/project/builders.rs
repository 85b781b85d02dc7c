//! Building new spans and relations the way the app does: the covered text copied, the
//! label's attribute defaults filled, the annotator's name and the time written in.

use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::Article;
use crate::domain::ids::{LabelId, RelationTypeId};

use super::Project;

/// Builds a span over `start..end` of `article`, sharing the covered text and filling the label's
/// attribute defaults. Returns `None` if the range is outside the article.
pub fn new_span(
    project: &Project,
    id: SpanId,
    article: &Article,
    start: usize,
    end: usize,
    label: &LabelId,
    now: i64,
) -> Option<Span> {
    let text = article.span_text(start, end)?;
    let attributes = project
        .label(label)
        .map(|label| {
            label.attributes.iter().map(|attribute| (attribute.key.clone(), attribute.default_value())).collect()
        })
        .unwrap_or_default();
    Some(Span {
        id,
        article: article.id.clone(),
        start,
        end,
        label: label.clone(),
        text,
        attributes,
        author: project.settings.annotator.clone(),
        created: now,
        modified: now,
        take_overs: Vec::new(),
    })
}

/// Builds a relation between two spans with the annotator's name.
pub fn new_relation(
    project: &Project,
    id: RelationId,
    relation_type: &RelationTypeId,
    from: SpanId,
    to: SpanId,
    now: i64,
) -> Relation {
    Relation {
        id,
        relation_type: relation_type.clone(),
        from,
        to,
        kind: None,
        note: String::new(),
        author: project.settings.annotator.clone(),
        suggestion: None,
        created: now,
        modified: now,
        take_overs: Vec::new(),
    }
}
