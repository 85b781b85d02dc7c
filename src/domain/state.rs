//! The application state and its reducer, free of any browser type.
//!
//! [`AppState`] is what the Yew shell keeps in one `use_reducer`: the project, its undo history,
//! and the view state worth restoring (which article is open, what is selected, which view).
//! [`AppState::reduce`] is a pure function from a state and an [`AppAction`] to the next state;
//! time and new ids come in with the action, so the reducer is deterministic and testable.

use std::rc::Rc;

use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::ArticleId;
use crate::domain::history::History;
use crate::domain::import_report::ImportRun;
use crate::domain::project::{Edit, EditError, Project};

/// Stored as `formats::stored::StoredView`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Read,
    Compare,
    Graph,
    Agreement,
    Adjudicate,
    Matrix,
}

/// The part of the interface that is saved with the project and restored on reload (stored as
/// `formats::stored::StoredUiPosition`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UiPosition {
    pub view: View,
    pub article: Option<ArticleId>,
    pub compare_left: Option<ArticleId>,
    pub compare_right: Option<ArticleId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeLevel {
    Info,
    Warning,
    Error,
}

/// A message for the person at the keyboard, shown until dismissed or replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub level: NoticeLevel,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct AppState {
    pub project: Project,
    pub history: History,
    pub position: UiPosition,
    pub selected_span: Option<SpanId>,
    pub selected_relation: Option<RelationId>,
    pub notice: Option<Notice>,
    /// The latest import: its progress, then its per-file report until dismissed.
    pub import: Option<ImportRun>,
    /// Increases with every change to the project; the storage effect saves when it moves.
    pub revision: u64,
}

/// Cheap equality for change detection: the project is compared by its revision, which
/// increases with every change to it, never by walking 10,000 spans.
impl PartialEq for AppState {
    fn eq(&self, other: &AppState) -> bool {
        self.revision == other.revision
            && self.history == other.history
            && self.position == other.position
            && self.selected_span == other.selected_span
            && self.selected_relation == other.selected_relation
            && self.notice == other.notice
            && self.import == other.import
    }
}

/// What an [`AppAction::EditAndSelect`] selects once its edit is applied.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    Span(SpanId),
    Relation(RelationId),
}

#[derive(Clone, Debug, PartialEq)]
pub enum AppAction {
    /// Applies an edit as one undoable step.
    Edit {
        edit: Edit,
        now: i64,
    },
    /// Applies an edit and, when it succeeds, selects what it made (after tagging, the new span;
    /// after linking, the new link) — in one step, so the selection never depends on reading the
    /// state between two dispatches.
    EditAndSelect {
        edit: Edit,
        now: i64,
        select: Selection,
    },
    /// Applies an edit that joins the previous step when it has the same `group` (typing).
    EditGrouped {
        edit: Edit,
        now: i64,
        group: String,
    },
    Undo {
        now: i64,
    },
    Redo {
        now: i64,
    },
    OpenArticle(ArticleId),
    SetView(View),
    SetCompare {
        left: Option<ArticleId>,
        right: Option<ArticleId>,
    },
    SelectSpan(Option<SpanId>),
    SelectRelation(Option<RelationId>),
    /// Replaces the project wholesale (an import, or a merge from another tab). History is
    /// kept only when `keep_history` (a merge); an import starts a fresh history.
    ReplaceProject {
        project: Project,
        keep_history: bool,
        notice: Option<Notice>,
    },
    /// The stored history, read once the editing code is here, in place of the unread one the
    /// project loaded with ([`History::unread`]); ignored once the history is another (an
    /// import started a fresh one). `left_out` names the history's documents that could not be
    /// read: an error notice, after any notice already shown (the load's own left-out items).
    HistoryRead {
        history: History,
        left_out: Option<String>,
    },
    Notify(Notice),
    DismissNotice,
    /// Shows an import's progress or report; `None` dismisses it.
    SetImport(Option<ImportRun>),
}

impl AppAction {
    /// Whether the action changes the project through the history (an edit, an undo or a redo).
    pub fn edits(&self) -> bool {
        matches!(
            self,
            AppAction::Edit { .. }
                | AppAction::EditAndSelect { .. }
                | AppAction::EditGrouped { .. }
                | AppAction::Undo { .. }
                | AppAction::Redo { .. }
        )
    }
}

/// An edit through the history: the next history, the project changed in place.
type ApplyStep = fn(&History, &mut Project, Edit, i64) -> Result<History, EditError>;
/// A grouped edit ([`History::apply_grouped`]).
type GroupedStep = fn(&History, &mut Project, Edit, i64, &str) -> Result<History, EditError>;
/// An undo or a redo: `None` when there is nothing to undo or redo.
type UndoStep = fn(&History, &mut Project, i64) -> Result<Option<History>, EditError>;

/// The steps the reducer edits with ([`History`]'s), handed in by the caller
/// ([`AppState::reduce_with`]) so that a build may load their code (applying and validating every
/// kind of edit) after the project is shown.
#[derive(Clone, Copy)]
pub struct EditSteps {
    pub apply: ApplyStep,
    pub apply_grouped: GroupedStep,
    pub undo: UndoStep,
    pub redo: UndoStep,
}

impl EditSteps {
    /// The history's steps.
    pub fn here() -> EditSteps {
        EditSteps {
            apply: History::apply,
            apply_grouped: History::apply_grouped,
            undo: History::undo,
            redo: History::redo,
        }
    }
}

impl AppState {
    pub fn new(project: Project, position: UiPosition) -> AppState {
        let mut state = AppState { project, position, ..AppState::default() };
        state.repair_position();
        state
    }

    /// The open article, falling back to the first one.
    pub fn current_article(&self) -> Option<&Rc<crate::domain::article::Article>> {
        self.position
            .article
            .as_ref()
            .and_then(|id| self.project.article(id))
            .or_else(|| self.project.articles().first())
    }

    /// Points every article reference in the position at an article that exists.
    fn repair_position(&mut self) {
        let exists =
            |id: &Option<ArticleId>, project: &Project| id.as_ref().is_some_and(|id| project.article(id).is_some());
        let first = self.project.articles().first().map(|article| article.id.clone());
        let second = self.project.articles().get(1).map(|article| article.id.clone()).or_else(|| first.clone());
        if !exists(&self.position.article, &self.project) {
            self.position.article = first.clone();
        }
        if !exists(&self.position.compare_left, &self.project) {
            self.position.compare_left = first;
        }
        if !exists(&self.position.compare_right, &self.project) {
            self.position.compare_right = second;
        }
        if self.selected_span.as_ref().is_some_and(|id| !self.project.spans().contains_key(id)) {
            self.selected_span = None;
        }
        if self.selected_relation.as_ref().is_some_and(|id| !self.project.relations().contains_key(id)) {
            self.selected_relation = None;
        }
    }

    /// The next state, with every edit step at hand ([`EditSteps::here`]).
    pub fn reduce(&self, action: AppAction) -> AppState {
        match self.reduce_with(action, Some(&EditSteps::here())) {
            Ok(next) => next,
            Err(_) => self.clone(),
        }
    }

    /// The next state, editing through `steps`; `Err` gives an action that edits (or undoes) back
    /// when `steps` is `None`, for the caller to hold until the steps are at hand. The app's build
    /// keeps the steps' code out of its first load (`ui::editing`).
    pub fn reduce_with(&self, action: AppAction, steps: Option<&EditSteps>) -> Result<AppState, Box<AppAction>> {
        let mut next = self.clone();
        if action.edits() {
            let Some(steps) = steps else { return Err(Box::new(action)) };
            next.edit(action, steps);
            next.repair_position();
            return Ok(next);
        }
        match action {
            AppAction::OpenArticle(id) => {
                if next.project.article(&id).is_some() {
                    next.position.article = Some(id);
                    next.position.view = View::Read;
                    next.selected_span = None;
                }
            }
            AppAction::SetView(view) => next.position.view = view,
            AppAction::SetCompare { left, right } => {
                if left.is_some() {
                    next.position.compare_left = left;
                }
                if right.is_some() {
                    next.position.compare_right = right;
                }
            }
            AppAction::SelectSpan(id) => {
                if let Some(span) = id.as_ref().and_then(|id| next.project.spans().get(id)) {
                    if next.position.view == View::Read {
                        next.position.article = Some(span.article.clone());
                    }
                }
                next.selected_span = id;
            }
            AppAction::SelectRelation(id) => next.selected_relation = id,
            AppAction::ReplaceProject { project, keep_history, notice } => {
                next.project = project;
                if !keep_history {
                    next.history = History::default();
                }
                next.revision += 1;
                next.notice = notice.or(next.notice);
            }
            AppAction::HistoryRead { history, left_out } => {
                if next.history.is_unread() {
                    next.history = history;
                }
                if let Some(text) = left_out {
                    let text = match next.notice.take() {
                        Some(shown) => format!("{} {text}", shown.text),
                        None => text,
                    };
                    next.notice = Some(Notice { level: NoticeLevel::Error, text });
                }
            }
            AppAction::Notify(notice) => next.notice = Some(notice),
            AppAction::DismissNotice => next.notice = None,
            AppAction::SetImport(run) => next.import = run,
            // Reduced by `edit`, above.
            AppAction::Edit { .. }
            | AppAction::EditAndSelect { .. }
            | AppAction::EditGrouped { .. }
            | AppAction::Undo { .. }
            | AppAction::Redo { .. } => {}
        }
        next.repair_position();
        Ok(next)
    }

    /// Reduces an action that [`AppAction::edits`], through `steps`.
    fn edit(&mut self, action: AppAction, steps: &EditSteps) {
        let next = self;
        match action {
            AppAction::Edit { edit, now } => {
                next.apply_edit(edit, now, steps);
            }
            AppAction::EditAndSelect { edit, now, select } => match (next.apply_edit(edit, now, steps), select) {
                (true, Selection::Span(id)) => next.selected_span = Some(id),
                (true, Selection::Relation(id)) => next.selected_relation = Some(id),
                (false, _) => {}
            },
            AppAction::EditGrouped { edit, now, group } if !next.changes_nothing(&edit) => {
                match (steps.apply_grouped)(&next.history, &mut next.project, edit, now, &group) {
                    Ok(history) => {
                        next.history = history;
                        next.revision += 1;
                    }
                    Err(error) => next.notice = Some(error_notice(format!("Not done: {error}."))),
                }
            }
            AppAction::EditGrouped { .. } => {}
            AppAction::Undo { now } => {
                let stepped = (steps.undo)(&next.history, &mut next.project, now);
                next.record_step(stepped, "undo");
            }
            AppAction::Redo { now } => {
                let stepped = (steps.redo)(&next.history, &mut next.project, now);
                next.record_step(stepped, "redo");
            }
            _ => {}
        }
    }

    /// Takes the history an undo or a redo (`what`) gave, or says why there was none.
    fn record_step(&mut self, stepped: Result<Option<History>, EditError>, what: &str) {
        match stepped {
            Ok(Some(history)) => {
                self.history = history;
                self.revision += 1;
            }
            Ok(None) => self.notice = Some(info(&format!("Nothing to {what}."))),
            Err(error) => self.notice = Some(error_notice(format!("Could not {what}: {error}."))),
        }
    }

    /// Whether `edit` would leave the project as it is (choosing the value already chosen).
    fn changes_nothing(&self, edit: &Edit) -> bool {
        match edit {
            Edit::UpdateSpan(span) => self
                .project
                .spans()
                .get(&span.id)
                .is_some_and(|old| Span { modified: old.modified, ..span.clone() } == **old),
            Edit::UpdateRelation(relation) => self
                .project
                .relations()
                .get(&relation.id)
                .is_some_and(|old| Relation { modified: old.modified, ..relation.clone() } == **old),
            _ => false,
        }
    }

    /// Applies an edit through the history; reports failure as a notice. Returns success.
    /// An edit that changes nothing makes no undo step.
    fn apply_edit(&mut self, edit: Edit, now: i64, steps: &EditSteps) -> bool {
        if self.changes_nothing(&edit) {
            return true;
        }
        match (steps.apply)(&self.history, &mut self.project, edit, now) {
            Ok(history) => {
                self.history = history;
                self.revision += 1;
                true
            }
            Err(error) => {
                self.notice = Some(error_notice(format!("Not done: {error}.")));
                false
            }
        }
    }
}

fn info(text: &str) -> Notice {
    Notice { level: NoticeLevel::Info, text: text.to_string() }
}

fn error_notice(text: String) -> Notice {
    Notice { level: NoticeLevel::Error, text }
}
