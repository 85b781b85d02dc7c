//! One document another tab wrote, read into the item it holds (for `domain::merge::merge_item`).

use crate::domain::annotation::{RelationId, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::attributes::LabelKeys;
use crate::domain::ids::SuggestionKey;
use crate::domain::merge::Incoming;
use crate::domain::project::Project;
use crate::formats::stored::docs::*;

/// Reads the document `id` (its raw JSON `raw`) against `project` (a span's text is its
/// article's). `Ok(None)`: a document that is not an item (this browser's own, the manifest,
/// an article, whose text arrives through IndexedDB).
pub fn incoming(id: &str, raw: &str, project: &Project) -> Result<Option<(Incoming, String)>, String> {
    incoming_with(id, raw, project, &ArticleRefs::of(project))
}

/// [`incoming`] with the project's article references made once for many documents (making
/// them per span was most of a large pull's merge).
pub fn incoming_with(
    id: &str,
    raw: &str,
    project: &Project,
    refs: &ArticleRefs,
) -> Result<Option<(Incoming, String)>, String> {
    fn parse<Body: serde::de::DeserializeOwned>(raw: &str) -> Result<Doc<Body>, String> {
        serde_json::from_str(raw).map_err(|error| error.to_string())
    }
    let item = if let Some(span_id) = id.strip_prefix(SPAN_PREFIX) {
        let doc = parse::<SpanBody>(raw)?;
        let rev = doc.rev.clone();
        let span_id = SpanId::from(span_id);
        match doc.data.filter(|_| !doc.deleted) {
            None => (Incoming::SpanDeleted(span_id, doc.modified), rev),
            Some(body) => {
                let article = body.article_id(refs);
                let text = project
                    .article(&article)
                    .and_then(|found| found.span_text(body.start, body.end))
                    .unwrap_or_default();
                let label = project.label(&body.label);
                let keys = label.map(LabelKeys::of);
                let span = body.into_span(span_id, doc.author, doc.modified, article, text, label.zip(keys.as_ref()));
                (Incoming::Span(span), rev)
            }
        }
    } else if let Some(relation_id) = id.strip_prefix(RELATION_PREFIX) {
        let doc = parse::<RelationBody>(raw)?;
        let rev = doc.rev.clone();
        let relation_id = RelationId::from(relation_id);
        match doc.data.filter(|_| !doc.deleted) {
            None => (Incoming::RelationDeleted(relation_id, doc.modified), rev),
            Some(body) => (Incoming::Relation(body.into_relation(relation_id, doc.author, doc.modified)), rev),
        }
    } else if let Some(key) = id.strip_prefix(REJECTED_PREFIX) {
        let doc = parse::<RejectedBody>(raw)?;
        let item = if doc.deleted {
            Incoming::Unrejected(SuggestionKey::from(key))
        } else {
            Incoming::Rejected(SuggestionKey::from(key))
        };
        (item, doc.rev)
    } else if id == LABELS_ID {
        let doc = parse::<LabelsBody>(raw)?;
        let Some(body) = doc.data else { return Ok(None) };
        (Incoming::Labels(body.labels.into_iter().map(Into::into).collect()), doc.rev)
    } else if id == RELATION_TYPES_ID {
        let doc = parse::<RelationTypesBody>(raw)?;
        let Some(body) = doc.data else { return Ok(None) };
        (Incoming::RelationTypes(body.relation_types.into_iter().map(Into::into).collect()), doc.rev)
    } else if id == PROJECT_ID {
        // The article order (from the team server or another tab), merged into this list.
        let doc = parse::<ProjectBody>(raw)?;
        let Some(body) = doc.data else { return Ok(None) };
        (Incoming::ArticleOrder(body.articles.into_iter().map(ArticleId::from).collect()), doc.rev)
    } else if id == SETTINGS_ID {
        let doc = parse::<SettingsBody>(raw)?;
        let Some(body) = doc.data else { return Ok(None) };
        (Incoming::Settings(body.into()), doc.rev)
    } else {
        return Ok(None);
    };
    Ok(Some(item))
}
