//! The project document: how a whole project is stored in `localStorage` and exported as JSON.
//!
//! One JSON object, versioned by `schema_version`. Loading goes through [`migrate`], which walks
//! an older document up one version at a time, and then through a full validation: every span
//! must fit its article and match its text, every relation must join existing spans. A document
//! that fails is rejected whole with the field that failed; nothing is half-loaded.
//!
//! Serialisation is deterministic (articles in list order, spans and relations sorted by id,
//! maps sorted by key), so export → import → export gives identical bytes.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde_json::Value;

use crate::domain::annotation::{Relation, RelationId, Span};
use crate::domain::article::Article;
use crate::domain::history::{History, HistorySteps};
use crate::domain::project::{EditError, Project, ProjectParts, RelationKey, RelationMap, Settings, SpanMap};
use crate::domain::schema::{self, LabelDef, RelationTypeDef};
use crate::domain::state::UiPosition;
use crate::formats::stored::{
    StoredArticle, StoredHistory, StoredLabel, StoredProject, StoredRelation, StoredRelationType, StoredSettings,
    StoredSpan, StoredUiPosition,
};
use crate::formats::FormatError;

/// The version this build writes. Documents with a larger version are refused, not guessed at.
pub const CURRENT_SCHEMA_VERSION: u64 = 1;

/// The value of the `format` field, so that a stray JSON file is recognised as not ours.
pub const FORMAT_NAME: &str = "crosscheck-project";

/// How many undo (and redo) steps the stored copy keeps.
pub const STORED_HISTORY_STEPS: usize = 200;

/// Serialises the project as the current version: the `project` export. It holds the work and
/// nothing about this browser (no view position, undo history or save time), so exporting,
/// importing elsewhere and exporting again gives identical bytes.
pub fn to_json(project: &Project) -> String {
    serialise(project, None, None, None)
}

/// Serialises the browser's stored copy: the export plus the newest undo and redo steps.
pub fn to_stored_json(project: &Project, position: &UiPosition, history: &History, saved_at: i64) -> String {
    serialise(project, Some(position), Some(&history.to_stored(STORED_HISTORY_STEPS)), Some(saved_at))
}

/// [`to_json`] without the spans and relations (`"spans":[]`, `"relations":[]`), for a caller
/// that writes those a page at a time ([`spans_json`], [`relations_json`]) and joins the pages in
/// later (`formats::task_messages::join_project_pages`).
pub fn to_json_without_items(project: &Project) -> String {
    serde_json::to_string(&stored_document(project, None, None, None, false)).unwrap_or_default()
}

/// Spans as [`to_json`] writes them inside its `spans` array: comma-separated, no brackets.
pub fn spans_json<'a>(spans: impl Iterator<Item = &'a Span>) -> String {
    array_body(&spans.map(StoredSpan::from).collect::<Vec<_>>())
}

/// Relations as [`to_json`] writes them inside its `relations` array.
pub fn relations_json<'a>(relations: impl Iterator<Item = &'a Relation>) -> String {
    array_body(&relations.map(StoredRelation::from).collect::<Vec<_>>())
}

fn array_body<T: serde::Serialize>(items: &[T]) -> String {
    let json = serde_json::to_string(items).unwrap_or_default();
    json.get(1..json.len().saturating_sub(1)).unwrap_or_default().to_string()
}

/// Writes the project through [`StoredProject`], borrowing every span and text rather than
/// copying them.
fn serialise(
    project: &Project,
    position: Option<&UiPosition>,
    history: Option<&HistorySteps>,
    saved_at: Option<i64>,
) -> String {
    let document = stored_document(project, position, history, saved_at, true);
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string(&document).unwrap_or_default()
}

fn stored_document<'a>(
    project: &'a Project,
    position: Option<&UiPosition>,
    history: Option<&'a HistorySteps>,
    saved_at: Option<i64>,
    with_items: bool,
) -> StoredProject<'a> {
    StoredProject {
        schema_version: CURRENT_SCHEMA_VERSION,
        format: Cow::Borrowed(FORMAT_NAME),
        saved_at,
        articles: project.articles().iter().map(|article| StoredArticle::from(&**article)).collect(),
        labels: project.labels().iter().map(StoredLabel::from).collect(),
        relation_types: project.relation_types().iter().map(StoredRelationType::from).collect(),
        spans: match with_items {
            true => project.spans().values().map(|span| StoredSpan::from(&**span)).collect(),
            false => Vec::new(),
        },
        relations: match with_items {
            true => project.relations().values().map(|relation| StoredRelation::from(&**relation)).collect(),
            false => Vec::new(),
        },
        settings: StoredSettings::from(project.settings()),
        tombstones: Cow::Borrowed(project.tombstones()),
        rejected_suggestions: project.rejected_suggestions().iter().map(|key| Cow::Borrowed(key.as_str())).collect(),
        ui: position.map(StoredUiPosition::from),
        history: history.map(StoredHistory::from),
    }
}

/// A step from version `n` to `n + 1`.
pub type Migration = fn(Value) -> Result<Value, FormatError>;

/// `MIGRATIONS[n]` takes a version-`n` document to version `n + 1`.
///
/// Version 0 is a document without `schema_version`: a hand-written or external file that has
/// articles (and perhaps spans) but no schemas or settings. Its migration fills the defaults.
pub const MIGRATIONS: &[Migration] = &[migrate_v0_to_v1];

fn migrate_v0_to_v1(mut document: Value) -> Result<Value, FormatError> {
    let Some(object) = document.as_object_mut() else {
        return Err(FormatError::at("", "a project must be a JSON object"));
    };
    object.insert("schema_version".to_string(), Value::from(1));
    object.entry("format").or_insert_with(|| Value::from(FORMAT_NAME));
    let labels: Vec<StoredLabel> = schema::default_labels().iter().map(StoredLabel::from).collect();
    object.entry("labels").or_insert_with(|| serde_json::to_value(labels).unwrap_or_default());
    let relation_types: Vec<StoredRelationType> =
        schema::default_relation_types().iter().map(StoredRelationType::from).collect();
    object.entry("relation_types").or_insert_with(|| serde_json::to_value(relation_types).unwrap_or_default());
    object.entry("spans").or_insert_with(|| Value::Array(Vec::new()));
    object.entry("relations").or_insert_with(|| Value::Array(Vec::new()));
    let settings = StoredSettings::from(&Settings::default());
    object.entry("settings").or_insert_with(|| serde_json::to_value(settings).unwrap_or_default());
    Ok(document)
}

/// Walks `document` from its version up to `target` using `migrations`.
pub fn migrate(mut document: Value, migrations: &[Migration], target: u64) -> Result<Value, FormatError> {
    let version = match document.get("schema_version") {
        None => 0,
        Some(version) => version.as_u64().ok_or_else(|| FormatError::at("schema_version", "must be a whole number"))?,
    };
    if version > target {
        return Err(FormatError::newer_version(version, target));
    }
    for step in version..target {
        let migration = migrations
            .get(step as usize)
            .ok_or_else(|| FormatError::at("schema_version", &format!("no migration from version {step}")))?;
        document = migration(document)?;
    }
    Ok(document)
}

/// Parses, migrates and validates a project document.
pub fn from_json(json: &str) -> Result<(Project, UiPosition), FormatError> {
    from_stored_json(json).map(|(project, position, _)| (project, position))
}

/// Like [`from_json`], and also returns the stored undo history (empty if there is none).
pub fn from_stored_json(json: &str) -> Result<(Project, UiPosition, History), FormatError> {
    // A current document (the browser's own copy at every start) is read straight into typed
    // data: going through a `Value` tree first cost a third of the big project's load. Anything
    // else (older versions, other files, errors) takes the general path below. Both paths read
    // with `from_str`: a second, `Value`-based instantiation of every type's deserializer would
    // add 17 KiB of compressed WebAssembly.
    let first_attempt = serde_json::from_str::<StoredProject>(json);
    let document = match first_attempt {
        Ok(document) if document.schema_version == CURRENT_SCHEMA_VERSION && document.format == FORMAT_NAME => document,
        other => parse_and_migrate(json, other.err())?,
    };
    let project = validate(
        document.articles.into_iter().map(Article::from).collect(),
        document.labels.into_iter().map(LabelDef::from).collect(),
        document.relation_types.into_iter().map(RelationTypeDef::from).collect(),
        document.spans.into_iter().map(Span::from).collect(),
        document.relations.into_iter().map(Relation::from).collect(),
    )?;
    let project = Project::from_parts(ProjectParts {
        settings: Settings::from(document.settings),
        tombstones: document.tombstones.into_owned(),
        rejected_suggestions: document.rejected_suggestions.iter().map(|key| key.as_ref().into()).collect(),
        ..project.into_parts()
    });
    let history = document.history.map(|stored| History::from_stored(newest_steps(stored.into()))).unwrap_or_default();
    Ok((project, document.ui.map(UiPosition::from).unwrap_or_default(), history))
}

/// Parses any version of a project document and migrates it to the current one.
/// `typed_error` is why reading `json` as a current document failed, if it did.
fn parse_and_migrate(
    json: &str,
    typed_error: Option<serde_json::Error>,
) -> Result<StoredProject<'static>, FormatError> {
    let value: Value = serde_json::from_str(json).map_err(FormatError::from_json_error)?;
    if let Some(format) = value.get("format").and_then(Value::as_str) {
        if format != FORMAT_NAME {
            return Err(FormatError::at("format", &format!("\"{format}\" is not a Crosscheck project")));
        }
    } else if value.get("articles").is_none() {
        return Err(FormatError::at("", "this JSON is not a Crosscheck project (no \"format\" or \"articles\")"));
    }
    let is_current = value.get("schema_version").and_then(Value::as_u64) == Some(CURRENT_SCHEMA_VERSION);
    let migrated = migrate(value, MIGRATIONS, CURRENT_SCHEMA_VERSION)?;
    match typed_error {
        // The file is current and well-formed JSON but not a project's shape: the first
        // attempt's error points at the place in the file.
        Some(error) if is_current => Err(FormatError::from_json_error(error)),
        // A migrated document is new text; a position in it would mean nothing to the reader.
        _ => serde_json::from_str(&migrated.to_string()).map_err(|error| {
            let message = error.to_string();
            FormatError::at("", message.rsplit_once(" at line ").map_or(message.as_str(), |(message, _)| message))
        }),
    }
}

/// Keeps the newest [`STORED_HISTORY_STEPS`] of each stack, as [`to_stored_json`] writes them. A
/// hand-made file may hold any number, and `History` is a linked list whose drop recurses once
/// per step: tens of thousands of steps overflowed the stack.
fn newest_steps(mut stored: HistorySteps) -> HistorySteps {
    for steps in [&mut stored.undo, &mut stored.redo] {
        steps.drain(..steps.len().saturating_sub(STORED_HISTORY_STEPS));
    }
    stored
}

/// Builds a project from parts, checking every invariant `Project::apply` would.
pub fn validate(
    articles: Vec<Article>,
    labels: Vec<LabelDef>,
    relation_types: Vec<RelationTypeDef>,
    spans: Vec<Span>,
    relations: Vec<Relation>,
) -> Result<Project, FormatError> {
    let mut checked_articles: Vec<Rc<Article>> = Vec::with_capacity(articles.len());
    let mut seen_articles = BTreeSet::new();
    for (index, article) in articles.into_iter().enumerate() {
        let field = format!("articles[{index}]");
        if article.text.contains('\r') {
            return Err(FormatError::at(&field, "text has CR line endings; stored text is LF only"));
        }
        if !article.id_matches_text() {
            return Err(FormatError::at(&format!("{field}.id"), "does not match the article's text"));
        }
        if !seen_articles.insert(article.id.clone()) {
            return Err(FormatError::at(&format!("{field}.id"), "appears twice"));
        }
        checked_articles.push(Rc::new(article));
    }
    let project = Project::from_parts(ProjectParts {
        articles: checked_articles,
        labels,
        relation_types,
        ..ProjectParts::default()
    });
    for (index, label) in project.labels().iter().enumerate() {
        if !schema::is_valid_color(&label.color) {
            return Err(FormatError::at(&format!("labels[{index}].color"), "must be a #rrggbb colour"));
        }
    }
    for (index, relation_type) in project.relation_types().iter().enumerate() {
        if !schema::is_valid_color(&relation_type.color) {
            return Err(FormatError::at(&format!("relation_types[{index}].color"), "must be a #rrggbb colour"));
        }
    }
    let mut checked_spans = SpanMap::new();
    for (index, span) in spans.into_iter().enumerate() {
        let field = format!("spans[{index}]");
        if checked_spans.contains_key(&span.id) {
            return Err(FormatError::at(&format!("{field}.id"), "appears twice"));
        }
        project.validate_span(&span).map_err(|error| FormatError::at(&field, &error.to_string()))?;
        checked_spans.insert(span.id.clone(), Rc::new(span));
    }
    let project = Project::from_parts(ProjectParts { spans: checked_spans, ..project.into_parts() });
    // Repeated links are found with a set: `validate_relation` scans every relation, which is
    // quadratic over a whole project (50 ms at 2,000 relations in the browser).
    let mut links: BTreeMap<RelationKey, RelationId> = BTreeMap::new();
    let mut checked_relations = RelationMap::new();
    for (index, relation) in relations.into_iter().enumerate() {
        let field = format!("relations[{index}]");
        if checked_relations.contains_key(&relation.id) {
            return Err(FormatError::at(&format!("{field}.id"), "appears twice"));
        }
        let symmetric =
            project.validate_relation_ends(&relation).map_err(|error| FormatError::at(&field, &error.to_string()))?;
        if let Some(existing) = links.insert(RelationKey::new(&relation, symmetric), relation.id.clone()) {
            let error = EditError::DuplicateRelation { existing };
            return Err(FormatError::at(&field, &error.to_string()));
        }
        checked_relations.insert(relation.id.clone(), Rc::new(relation));
    }
    Ok(Project::from_parts(ProjectParts { relations: checked_relations, ..project.into_parts() }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::SpanId;
    use crate::domain::corpus::default_articles;
    use crate::domain::project::{new_span, Edit};

    fn annotated_project() -> Project {
        let mut project = Project::with_articles(default_articles());
        let article = project.articles()[1].clone();
        let span = new_span(&project, SpanId::from("s1"), &article, 0, 2, &"claim".into(), 5).unwrap();
        project.apply(Edit::AddSpan(span), 5).unwrap();
        project
    }

    #[test]
    fn round_trip_is_byte_identical() {
        let project = annotated_project();
        let json = to_json(&project);
        let (loaded, _) = from_json(&json).unwrap();
        assert_eq!(loaded, project);
        assert_eq!(to_json(&loaded), json);
        assert!(!json.contains("saved_at") && !json.contains("\"ui\""), "the export says nothing about this browser");
        // The stored copy restores the view position too.
        let position = UiPosition { article: Some(project.articles()[1].id.clone()), ..UiPosition::default() };
        let stored = to_stored_json(&project, &position, &History::default(), 42);
        let (_, loaded_position, _) = from_stored_json(&stored).unwrap();
        assert_eq!(loaded_position, position);
    }

    /// A file may not link the same two spans twice with one type (in either direction when the
    /// type is symmetric); the loader checks this with a set, `apply` with a scan.
    #[test]
    fn repeated_links_are_refused_in_either_direction_when_symmetric() {
        let mut project = annotated_project();
        let article = project.articles()[1].clone();
        let span = new_span(&project, SpanId::from("s2"), &article, 3, 6, &"claim".into(), 5).unwrap();
        project.apply(Edit::AddSpan(span), 5).unwrap();
        let link = |id: &str, relation_type: &str, from: &str, to: &str| {
            crate::domain::project::new_relation(
                &project,
                RelationId::from(id),
                &relation_type.into(),
                SpanId::from(from),
                SpanId::from(to),
                6,
            )
        };
        let with = |relations: Vec<Relation>| {
            let mut value: Value = serde_json::from_str(&to_json(&project)).unwrap();
            value["relations"] =
                serde_json::to_value(relations.iter().map(StoredRelation::from).collect::<Vec<_>>()).unwrap();
            from_json(&value.to_string()).map(|_| ())
        };
        let error =
            with(vec![link("r1", "contradicts", "s1", "s2"), link("r2", "contradicts", "s2", "s1")]).unwrap_err();
        assert!(
            error.to_string().contains("relations[1]") && error.to_string().contains("already linked (r1)"),
            "{error}"
        );
        assert!(with(vec![link("r1", "attributed-to", "s1", "s2"), link("r2", "attributed-to", "s2", "s1")]).is_ok());
        assert!(with(vec![link("r1", "contradicts", "s1", "s2"), link("r2", "supports", "s1", "s2")]).is_ok());
        let error = with(vec![link("r1", "supports", "s1", "s2"), link("r2", "supports", "s1", "s2")]).unwrap_err();
        assert!(error.to_string().contains("already linked (r1)"), "{error}");
    }

    #[test]
    fn stored_copy_keeps_the_undo_history_and_the_export_does_not() {
        let mut project = Project::with_articles(default_articles());
        let article = project.articles()[0].clone();
        let span = new_span(&project, SpanId::from("s1"), &article, 0, 7, &"claim".into(), 5).unwrap();
        let history = History::default().apply(&mut project, Edit::AddSpan(span), 5).unwrap();
        let stored = to_stored_json(&project, &UiPosition::default(), &history, 9);
        assert!(!to_json(&project).contains("\"history\""));
        let (mut loaded, _, loaded_history) = from_stored_json(&stored).unwrap();
        assert!(loaded_history.can_undo());
        loaded_history.undo(&mut loaded, 10).unwrap();
        assert!(loaded.spans().is_empty());
    }

    #[test]
    fn version_zero_documents_are_migrated() {
        let json = r#"{"articles":[{"id":"a-ba7816bf8f01cfea","title":"ABC","source":"x","text":"abc"}]}"#;
        let (project, _) = from_json(json).unwrap();
        assert_eq!(project.articles().len(), 1);
        assert_eq!(project.labels(), schema::default_labels());
    }

    #[test]
    fn migrations_run_in_order_and_newer_versions_are_refused() {
        fn step_one(mut value: Value) -> Result<Value, FormatError> {
            value["schema_version"] = Value::from(2);
            value["trail"] = Value::from(format!("{}1", value["trail"].as_str().unwrap_or("")));
            Ok(value)
        }
        fn step_two(mut value: Value) -> Result<Value, FormatError> {
            value["schema_version"] = Value::from(3);
            value["trail"] = Value::from(format!("{}2", value["trail"].as_str().unwrap_or("")));
            Ok(value)
        }
        let document = serde_json::json!({"schema_version": 1, "trail": ""});
        let migrations: &[Migration] = &[migrate_v0_to_v1, step_one, step_two];
        let migrated = migrate(document, migrations, 3).unwrap();
        assert_eq!(migrated["trail"], "12");
        let newer = serde_json::json!({"schema_version": 9});
        let error = migrate(newer, MIGRATIONS, CURRENT_SCHEMA_VERSION).unwrap_err();
        assert!(error.to_string().contains("newer"), "{error}");
    }

    #[test]
    fn tampered_documents_are_rejected_with_the_field() {
        let project = annotated_project();
        let json = to_json(&project);
        let tampered = json.replacen("\"start\":0", "\"start\":1", 1);
        let error = from_json(&tampered).unwrap_err();
        assert!(error.to_string().contains("spans[0]"), "{error}");
        assert!(from_json("{\"format\":\"other\"}").is_err());
        assert!(from_json("[1,2]").is_err());
        let truncated = &json[..json.len() / 2];
        assert!(from_json(truncated).unwrap_err().to_string().contains("line 1"));
    }
}
