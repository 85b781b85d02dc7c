//! Annotators' layers: bringing in another annotator's work as their own layer, and narrowing a
//! project to one layer for export.
//!
//! Without a server, a colleague's work arrives as their project export. [`add_layer`] turns it
//! into one undoable edit that adds their spans and links next to ours: articles are matched by
//! id (the hash of the text), so the same article in both projects is one article; articles we do
//! not have are added; labels and link types we lack are added to the schema; authors are kept
//! (an unnamed or `anonymous` author takes the file's annotator name, else the file name).
//! Importing the same annotator again replaces their layer. Ids that clash with ours get a
//! suffix. The gold layer of the other file is not imported (adjudication is done here).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::domain::agreement::GOLD;
use crate::domain::annotation::{RelationId, SpanId};
use crate::domain::project::{Edit, EditError, Project};
use crate::domain::sorting::InsertEach;

/// The default annotator name, which says nothing about who annotated.
pub const ANONYMOUS: &str = "anonymous";

/// What adding a layer will do, and the edit that does it.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerImport {
    pub edit: Edit,
    pub authors: Vec<String>,
    pub articles_added: usize,
    pub spans: usize,
    pub relations: usize,
    /// Spans of the same authors that were already here and are replaced.
    pub replaced: usize,
    /// Gold spans of the other file, left out.
    pub gold_skipped: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LayerError {
    /// The file has no annotations to add.
    Empty,
    /// The file's annotations carry this browser's own annotator name.
    OwnName(String),
    /// The combined edit does not apply (a bug or a corrupt file; nothing changed).
    Invalid(EditError),
}

impl fmt::Display for LayerError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayerError::Empty => write!(formatter, "the file has no annotations to add as a layer"),
            LayerError::OwnName(name) => write!(
                formatter,
                "its annotations are by \"{name}\", which is your own name here: change your name in Settings first, or replace the project"
            ),
            LayerError::Invalid(error) => write!(formatter, "{error}"),
        }
    }
}

/// The author a span or link of the other file is filed under.
fn layer_author(author: &str, file_annotator: &str, file_name: &str) -> String {
    let named = |name: &str| !name.trim().is_empty() && name.trim() != ANONYMOUS;
    if named(author) {
        author.trim().to_string()
    } else if named(file_annotator) {
        file_annotator.trim().to_string()
    } else {
        let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem);
        if named(stem) {
            stem.trim().to_string()
        } else {
            "another annotator".to_string()
        }
    }
}

/// `id`, or `id-2`, `id-3`, … — the first not in `taken`.
fn free_id(id: &str, taken: &BTreeSet<String>) -> String {
    if !taken.contains(id) {
        return id.to_string();
    }
    (2..).map(|n| format!("{id}-{n}")).find(|candidate| !taken.contains(candidate)).unwrap_or_default()
}

/// Builds the edit that adds `incoming` (read from `file_name`) to `current` as its authors'
/// layers (see the module docs), checked against a copy of `current`.
pub fn add_layer(current: &Project, incoming: &Project, file_name: &str) -> Result<LayerImport, LayerError> {
    let annotator = &incoming.settings().annotator;
    let author_of = |author: &str| layer_author(author, annotator, file_name);
    let spans: Vec<_> = incoming.spans_in_order().into_iter().filter(|span| span.author != GOLD).collect();
    let gold_skipped = incoming.spans().len() - spans.len();
    if spans.is_empty() {
        return Err(LayerError::Empty);
    }
    let authors: BTreeSet<String> = spans.iter().map(|span| author_of(&span.author)).into_set();
    let own = &current.settings().annotator;
    if let Some(name) =
        authors.iter().find(|name| *name == own && current.spans().values().any(|span| &span.author == own))
    {
        return Err(LayerError::OwnName(name.clone()));
    }
    let mut edits = Vec::new();
    let mut articles_added = 0;
    for article in incoming.articles() {
        if current.article(&article.id).is_none() && spans.iter().any(|span| span.article == article.id) {
            edits.push(Edit::InsertArticle { position: usize::MAX, article: (**article).clone() });
            articles_added += 1;
        }
    }
    let mut labels = current.labels().to_vec();
    labels.extend(incoming.labels().iter().filter(|label| current.label(&label.id).is_none()).cloned());
    if labels.len() != current.labels().len() {
        edits.push(Edit::SetLabels(labels));
    }
    let mut relation_types = current.relation_types().to_vec();
    relation_types
        .extend(incoming.relation_types().iter().filter(|kind| current.relation_type(&kind.id).is_none()).cloned());
    if relation_types.len() != current.relation_types().len() {
        edits.push(Edit::SetRelationTypes(relation_types));
    }
    let replaced: Vec<SpanId> =
        current.spans().values().filter(|span| authors.contains(&span.author)).map(|span| span.id.clone()).collect();
    edits.extend(replaced.iter().cloned().map(Edit::RemoveSpan));
    let removed: BTreeSet<&SpanId> = replaced.iter().into_set();
    let mut taken: BTreeSet<String> =
        current.spans().keys().filter(|id| !removed.contains(id)).map(|id| id.to_string()).into_set();
    let mut span_ids: BTreeMap<SpanId, SpanId> = BTreeMap::new();
    for span in &spans {
        let id = free_id(span.id.as_str(), &taken);
        taken.insert(id.clone());
        span_ids.insert(span.id.clone(), SpanId::from(id.as_str()));
        let mut copy = (**span).clone();
        copy.id = SpanId::from(id);
        copy.author = author_of(&span.author);
        edits.push(Edit::AddSpan(copy));
    }
    let mut taken_links: BTreeSet<String> = current
        .relations()
        .values()
        .filter(|relation| !replaced.iter().any(|span| relation.touches(span)))
        .map(|relation| relation.id.to_string())
        .into_set();
    let mut relation_count = 0;
    for relation in incoming.relations().values() {
        let (Some(from), Some(to)) = (span_ids.get(&relation.from), span_ids.get(&relation.to)) else { continue };
        let id = free_id(relation.id.as_str(), &taken_links);
        taken_links.insert(id.clone());
        let mut copy = (**relation).clone();
        copy.id = RelationId::from(id);
        copy.from = from.clone();
        copy.to = to.clone();
        copy.author = author_of(&relation.author);
        edits.push(Edit::AddRelation(copy));
        relation_count += 1;
    }
    let edit = Edit::Batch(edits);
    current.clone().apply(edit.clone(), 0).map_err(LayerError::Invalid)?;
    Ok(LayerImport {
        edit,
        authors: authors.into_iter().collect(),
        articles_added,
        spans: spans.len(),
        relations: relation_count,
        replaced: replaced.len(),
        gold_skipped,
    })
}

/// Which annotations an export holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ExportScope {
    #[default]
    Everyone,
    /// One author's layer: an annotator's, or [`GOLD`].
    Author(String),
}

impl ExportScope {
    /// The file-name part that says which layer an export holds ("" for everyone).
    pub fn file_suffix(&self) -> String {
        match self {
            ExportScope::Everyone => String::new(),
            ExportScope::Author(author) => format!("-{}", crate::domain::schema::slug(author)),
        }
    }
}

/// The project as the export of `scope` sees it: only that author's spans, and only that
/// author's links between them. Articles, schemas and settings are kept.
pub fn limit_to_scope(project: &Project, scope: &ExportScope) -> Project {
    let ExportScope::Author(author) = scope else { return project.clone() };
    let mut parts = project.clone().into_parts();
    parts.spans.retain(|_, span| &span.author == author);
    let spans = &parts.spans;
    parts.relations.retain(|_, relation| {
        &relation.author == author && spans.contains_key(&relation.from) && spans.contains_key(&relation.to)
    });
    Project::from_parts(parts)
}

/// Every author of a span, in name order (gold included): the choices of an export scope.
pub fn authors(project: &Project) -> Vec<String> {
    let names: BTreeSet<&str> = project.spans().values().map(|span| span.author.as_str()).into_set();
    names.into_iter().map(str::to_string).collect()
}
