//! User intents shared by buttons and hotkeys, turned into `AppAction`s.
//!
//! The toolbar button and the digit hotkey both call [`apply_label`]; the delete button and the
//! `Delete` key both call [`delete_selected`]; and so on. Fresh ids and the time are taken here,
//! at the edge, and handed to the pure reducer.

use std::rc::Rc;

use crate::domain::annotation::{Span, SpanId};
use crate::domain::annotators::{owner, Owner};
use crate::domain::article::Article;
use crate::domain::ids::{LabelId, RelationTypeId};
use crate::domain::project::{new_span, Edit};
use crate::domain::segments::has_span_at;
use crate::domain::state::{AppAction, Notice, NoticeLevel, Selection, View};
use crate::domain::text::trim_to_text;
use crate::ui::editing;
use crate::ui::state::{fresh, AppContext, PendingHandle, PendingSelection};
use crate::web::clock::{new_id, now_ms};
use crate::web::selection::{clear_selection, ReaderSelection};
use crate::web::split_module::NotLoaded;

/// Turns a raw reader selection into a pending selection: snapped to whole words and trimmed,
/// unless `exact`. Returns `None` when only whitespace was selected.
///
/// Words are segmented by the editing code (`ui::editing`), which a selection made before it
/// arrived does without: that one is trimmed, left asking to be snapped, and snapped by the edit
/// that uses it ([`snap_pending`]), which runs with the editing code.
pub fn pending_from_selection(
    context: &AppContext,
    article_id: &crate::domain::article::ArticleId,
    selection: &ReaderSelection,
    exact: bool,
) -> Option<PendingSelection> {
    let article = context.project.article(article_id)?;
    let pending = PendingSelection {
        article: article.id.clone(),
        start: selection.start,
        end: selection.end,
        anchor: (selection.rect.0, selection.rect.3),
        unsnapped: !exact,
    };
    snap_pending(article, pending)
}

/// `pending` snapped to whole words if it asks to be and the editing code is here; before that,
/// trimmed, still asking. `None` when only whitespace is selected.
pub fn snap_pending(article: &Article, pending: PendingSelection) -> Option<PendingSelection> {
    if !pending.unsnapped {
        return Some(pending);
    }
    let (text, index) = (&article.text, &article.layout().index);
    let code = editing::loaded();
    let (start, end) = match code {
        Some(code) => (code.snap_to_words)(text, index, pending.start, pending.end)?,
        None => trim_to_text(text, index, pending.start, pending.end)?,
    };
    Some(PendingSelection { start, end, unsnapped: code.is_none(), ..pending })
}

/// Tags the pending selection with the label `label_id` and selects the new span.
///
/// `article_spans` are the open article's spans in reading order (the reader's), which the check
/// for a repeated tag searches instead of every span of the project (while edits wait for the
/// editing code, the project's: the reader's are the spans before them).
pub fn apply_label(context: &AppContext, pending: &PendingHandle, label_id: &LabelId, article_spans: &[Rc<Span>]) {
    let Some(selection) = (**pending).clone() else {
        context.dispatch(AppAction::Notify(Notice {
            level: NoticeLevel::Info,
            text: "Select some text first, then press a label's number.".to_string(),
        }));
        return;
    };
    pending.set(None);
    clear_selection();
    let tag = Tag { selection, label: label_id.clone(), id: SpanId::from(new_id("s")), now: now_ms() };
    if editing::edits_at_once() {
        return tag.make(context, Some(article_spans));
    }
    editing::edit(context, move |context| tag.make(context, None));
}

/// A tag asked for: what the person selected, with which label, and when.
struct Tag {
    selection: PendingSelection,
    label: LabelId,
    id: SpanId,
    now: i64,
}

impl Tag {
    /// Dispatches the tag, or says it is there already. `article_spans` as in [`apply_label`].
    fn make(self, context: &AppContext, article_spans: Option<&[Rc<Span>]>) {
        let Tag { selection, label, id, now } = self;
        let project = &context.project;
        let Some(article) = project.article(&selection.article).cloned() else { return };
        let Some(selection) = snap_pending(&article, selection) else { return };
        let (start, end) = (selection.start, selection.end);
        let duplicate = match (context.current_article(), article_spans) {
            (Some(current), Some(spans)) if current.id == selection.article => has_span_at(spans, start, end, &label),
            _ => project.has_span_at(&selection.article, start, end, &label),
        };
        if duplicate {
            context.dispatch(AppAction::Notify(Notice {
                level: NoticeLevel::Info,
                text: "That text already has this label.".to_string(),
            }));
            return;
        }
        if let Some(span) = new_span(project, id.clone(), &article, start, end, &label, now) {
            context.dispatch(AppAction::EditAndSelect { edit: Edit::AddSpan(span), now, select: Selection::Span(id) });
        }
    }
}

/// Applies the label at `index` (0-based, schema order) — the digit hotkeys.
pub fn apply_label_at(context: &AppContext, pending: &PendingHandle, index: usize, article_spans: &[Rc<Span>]) {
    let label_id = context.project.labels().get(index).map(|label| label.id.clone());
    if let Some(label_id) = label_id {
        apply_label(context, pending, &label_id, article_spans);
    }
}

/// Deletes a span of mine; a colleague's is refused with the reason (take it over first).
pub fn delete_span(context: &AppContext, id: &SpanId) {
    let (id, now) = (id.clone(), now_ms());
    editing::edit(context, move |context| delete_span_now(context, id, now));
}

fn delete_span_now(context: &AppContext, id: SpanId, now: i64) {
    let author = context.project.spans().get(&id).map(|span| span.author.clone()).unwrap_or_default();
    if let Owner::Colleague(name) = owner(&author, &context.project.settings().annotator) {
        context.dispatch(AppAction::Notify(Notice {
            level: NoticeLevel::Info,
            text: format!("This is {name}'s annotation: take it over first to delete it."),
        }));
        return;
    }
    context.dispatch(AppAction::Edit { edit: Edit::RemoveSpan(id), now });
}

pub fn delete_selected(context: &AppContext) {
    if let Some(id) = context.selected_span.clone() {
        delete_span(context, &id);
    }
}

pub fn undo(context: &AppContext) {
    context.dispatch(AppAction::Undo { now: now_ms() });
}

pub fn redo(context: &AppContext) {
    context.dispatch(AppAction::Redo { now: now_ms() });
}

/// Selects the next (`forward`) or previous annotation of the open article, wrapping around;
/// `spans` are its spans in reading order (the reader's).
pub fn step_selection(context: &AppContext, forward: bool, spans: &[Rc<Span>]) {
    if context.position.view != View::Read || context.current_article().is_none() || spans.is_empty() {
        return;
    }
    let current = context.selected_span.as_ref().and_then(|id| spans.iter().position(|span| &span.id == id));
    let next = match (current, forward) {
        (None, true) => 0,
        (None, false) => spans.len() - 1,
        (Some(index), true) => (index + 1) % spans.len(),
        (Some(index), false) => (index + spans.len() - 1) % spans.len(),
    };
    context.dispatch(AppAction::SelectSpan(Some(spans[next].id.clone())));
}

/// Resolves a link end to a span id, creating the span (as part of `edits`) when the end is
/// selected text that no span covers exactly yet.
fn resolve_end(
    context: &AppContext,
    end: &crate::ui::state::ChosenEnd,
    label: &LabelId,
    now: i64,
    edits: &mut Vec<Edit>,
) -> Option<SpanId> {
    use crate::ui::state::ChosenEnd;
    match end {
        ChosenEnd::Span(id) => context.project.spans().contains_key(id).then(|| id.clone()),
        ChosenEnd::Text(selection) => {
            let article = context.project.article(&selection.article)?.clone();
            let selection = snap_pending(&article, selection.clone())?;
            let existing = context.project.spans().values().find(|span| {
                span.article == selection.article && span.start == selection.start && span.end == selection.end
            });
            if let Some(existing) = existing {
                return Some(existing.id.clone());
            }
            let id = SpanId::from(new_id("s"));
            let span = new_span(&context.project, id.clone(), &article, selection.start, selection.end, label, now)?;
            edits.push(Edit::AddSpan(span));
            Some(id)
        }
    }
}

/// Links the compare view's left end to its right end with `relation_type`, creating spans for
/// selected text on the fly, all as one undoable step. Returns the ends as spans on success.
pub fn link_compare_ends(
    context: &AppContext,
    compare: &crate::ui::state::CompareHandle,
    relation_type: &RelationTypeId,
) {
    use crate::domain::annotation::RelationId;
    use crate::domain::project::new_relation;
    use crate::ui::state::ChosenEnd;
    let notify = |text: &str| {
        context.dispatch(AppAction::Notify(Notice { level: NoticeLevel::Info, text: text.to_string() }));
    };
    let (Some(left), Some(right)) = (compare.left.clone(), compare.right.clone()) else {
        notify("Choose both ends first: select text or click a highlight in each pane.");
        return;
    };
    let now = now_ms();
    let label = compare.new_span_label.clone();
    let kind = compare.contradiction_kind.clone();
    let (compare, relation_type) = (compare.clone(), relation_type.clone());
    clear_selection();
    editing::edit(context, move |context| {
        let mut edits = Vec::new();
        let (Some(from), Some(to)) = (
            resolve_end(context, &left, &label, now, &mut edits),
            resolve_end(context, &right, &label, now, &mut edits),
        ) else {
            context.dispatch(AppAction::Notify(Notice {
                level: NoticeLevel::Info,
                text: "One end of the link no longer exists.".to_string(),
            }));
            return;
        };
        let mut relation = new_relation(
            &context.project,
            RelationId::from(new_id("r")),
            &relation_type,
            from.clone(),
            to.clone(),
            now,
        );
        if relation_type == crate::domain::schema::CONTRADICTS {
            relation.kind = kind;
        }
        edits.push(Edit::AddRelation(relation.clone()));
        // One action: the link is selected only if the batch applied (`context` here is the state
        // before the dispatch, so it cannot be asked afterwards).
        context.dispatch(AppAction::EditAndSelect {
            edit: Edit::Batch(edits),
            now,
            select: Selection::Relation(relation.id.clone()),
        });
        compare.set(crate::ui::state::CompareState {
            left: Some(ChosenEnd::Span(from)),
            right: Some(ChosenEnd::Span(to)),
            ..(*compare).clone()
        });
    });
}

/// Today's date as `YYYY-MM-DD`, for file names.
pub fn today() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.chars().take(10).collect()
}

/// Downloads the whole project as JSON (`crosscheck-project-<date>.json`).
/// The export's JSON is the editing code's (`ui::editing`), fetched first if it is not here.
pub fn export_project(context: &AppContext) {
    let context = fresh(context);
    crate::ui::editing::with_editing_code(move |code| {
        let context = fresh(&context);
        let outcome = match code {
            Ok(code) => {
                let json = (code.project_json)(&context.project);
                let name = format!("crosscheck-project-{}.json", today());
                crate::web::download::download_bytes(&name, "application/json", json.as_bytes())
            }
            Err(_) => Err(NotLoaded::message("The project export")),
        };
        if let Err(why) = outcome {
            context.dispatch(AppAction::Notify(Notice { level: NoticeLevel::Error, text: why }));
        }
    });
}
