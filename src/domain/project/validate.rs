//! The checks an edit passes before it changes a project: spans fit their article and
//! schema, relations join existing spans once, schemas have unique ids, names and colours.

use std::collections::BTreeSet;

use crate::domain::annotation::{Relation, Span, SpanId};
use crate::domain::ids::RelationTypeId;
use crate::domain::schema::{self, LabelDef, RelationTypeDef};

use super::{EditError, Project};

/// What makes two relations the same link: their type and ends, the ends in a fixed order when
/// the type is symmetric (a contradiction from A to B is the one from B to A).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RelationKey {
    relation_type: RelationTypeId,
    first: SpanId,
    second: SpanId,
}

impl RelationKey {
    pub fn new(relation: &Relation, symmetric: bool) -> RelationKey {
        let (first, second) = if symmetric && relation.to < relation.from {
            (relation.to.clone(), relation.from.clone())
        } else {
            (relation.from.clone(), relation.to.clone())
        };
        RelationKey { relation_type: relation.relation_type.clone(), first, second }
    }
}

impl Project {
    /// Checks that a span fits its article and schema, returning a precise error if not.
    pub fn validate_span(&self, span: &Span) -> Result<(), EditError> {
        let article = self.article(&span.article).ok_or_else(|| EditError::UnknownArticle(span.article.clone()))?;
        if self.label(&span.label).is_none() {
            return Err(EditError::UnknownLabel(span.label.clone()));
        }
        let length = article.char_len();
        if span.start >= span.end || span.end > length {
            return Err(EditError::BadRange { start: span.start, end: span.end, length });
        }
        let expected = article.slice(span.start, span.end).unwrap_or_default();
        if span.text != expected {
            return Err(EditError::TextMismatch { expected: expected.to_string(), found: span.text.to_string() });
        }
        Ok(())
    }

    /// Checks that a relation's ends exist, its type exists, and it does not repeat a link.
    pub fn validate_relation(&self, relation: &Relation) -> Result<(), EditError> {
        let symmetric = self.validate_relation_ends(relation)?;
        let duplicate = self.relations.values().find(|existing| {
            existing.relation_type == relation.relation_type
                && existing.links(&relation.from, &relation.to, symmetric)
                && existing.id != relation.id
        });
        if let Some(existing) = duplicate {
            return Err(EditError::DuplicateRelation { existing: existing.id.clone() });
        }
        Ok(())
    }

    /// Checks what [`Project::validate_relation`] checks except repeated links (which a loader of
    /// thousands of relations checks with a set, see [`RelationKey`]); returns whether the
    /// relation's type is symmetric.
    pub fn validate_relation_ends(&self, relation: &Relation) -> Result<bool, EditError> {
        let relation_type = self
            .relation_type(&relation.relation_type)
            .ok_or_else(|| EditError::UnknownRelationType(relation.relation_type.clone()))?;
        for end in [&relation.from, &relation.to] {
            if !self.spans.contains_key(end) {
                return Err(EditError::UnknownSpan(end.clone()));
            }
        }
        if relation.from == relation.to {
            return Err(EditError::SelfRelation);
        }
        Ok(relation_type.symmetric)
    }
}

pub(super) fn validate_labels(labels: &[LabelDef]) -> Result<(), EditError> {
    let mut seen = BTreeSet::new();
    for label in labels {
        if label.id.trim().is_empty() || label.name.trim().is_empty() {
            return Err(EditError::InvalidSchema("every label needs a name".to_string()));
        }
        if !seen.insert(label.id.as_str()) {
            return Err(EditError::InvalidSchema(format!("two labels share the id \"{}\"", label.id)));
        }
        if !schema::is_valid_color(&label.color) {
            return Err(EditError::InvalidSchema(format!("\"{}\" is not a #rrggbb colour", label.color)));
        }
    }
    Ok(())
}

pub(super) fn validate_relation_types(relation_types: &[RelationTypeDef]) -> Result<(), EditError> {
    let mut seen = BTreeSet::new();
    for relation_type in relation_types {
        if relation_type.id.trim().is_empty() || relation_type.name.trim().is_empty() {
            return Err(EditError::InvalidSchema("every link type needs a name".to_string()));
        }
        if !seen.insert(relation_type.id.as_str()) {
            return Err(EditError::InvalidSchema(format!("two link types share the id \"{}\"", relation_type.id)));
        }
        if !schema::is_valid_color(&relation_type.color) {
            return Err(EditError::InvalidSchema(format!("\"{}\" is not a #rrggbb colour", relation_type.color)));
        }
    }
    Ok(())
}
