//! Undo and redo: two stacks of inverse edits.
//!
//! The stacks are persistent linked lists behind `Rc`, so the app state (which the Yew shell
//! clones on every change) copies two pointers, whatever the length of the history.

use std::rc::Rc;

use crate::domain::project::{Edit, EditError, Project};

/// How long after the last keystroke a grouped edit still joins the previous step.
pub const GROUP_WINDOW_MS: i64 = 2_000;

#[derive(Debug)]
struct Node {
    edit: Edit,
    /// Edits of one group (typing into one field) made within [`GROUP_WINDOW_MS`] undo together.
    group: Option<String>,
    at: i64,
    below: Option<Rc<Node>>,
}

/// An immutable stack: pushing shares the rest of the stack with the previous version.
#[derive(Clone, Debug, Default)]
struct Stack {
    top: Option<Rc<Node>>,
    length: usize,
}

impl Stack {
    fn push(&self, edit: Edit) -> Stack {
        self.push_grouped(edit, None, 0)
    }

    fn push_grouped(&self, edit: Edit, group: Option<String>, at: i64) -> Stack {
        Stack { top: Some(Rc::new(Node { edit, group, at, below: self.top.clone() })), length: self.length + 1 }
    }

    fn pop(&self) -> Option<(Edit, Stack)> {
        let node = self.top.as_ref()?;
        Some((node.edit.clone(), Stack { top: node.below.clone(), length: self.length - 1 }))
    }
}

/// One step of history as plain data (stored as `formats::stored::HistoryStep`).
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryStep {
    pub edit: Edit,
    pub group: Option<String>,
    pub at: i64,
}

/// The undo and redo stacks as plain data, each oldest first (stored as
/// `formats::stored::HistorySteps`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistorySteps {
    pub undo: Vec<HistoryStep>,
    pub redo: Vec<HistoryStep>,
}

impl Stack {
    /// The newest `limit` steps, oldest first.
    fn to_steps(&self, limit: usize) -> Vec<HistoryStep> {
        let mut steps = Vec::new();
        let mut node = self.top.as_ref();
        while let Some(current) = node {
            if steps.len() == limit {
                break;
            }
            steps.push(HistoryStep { edit: current.edit.clone(), group: current.group.clone(), at: current.at });
            node = current.below.as_ref();
        }
        steps.reverse();
        steps
    }

    fn from_steps(steps: Vec<HistoryStep>) -> Stack {
        steps.into_iter().fold(Stack::default(), |stack, step| stack.push_grouped(step.edit, step.group, step.at))
    }
}

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Stack,
    redo: Stack,
    /// `Some` for a history whose stored stacks are not read yet ([`History::unread`]).
    unread: Option<Unread>,
}

/// Whether stacks not read yet hold any step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Unread {
    undo: bool,
    redo: bool,
}

impl PartialEq for History {
    fn eq(&self, other: &History) -> bool {
        let same = |left: &Option<Rc<Node>>, right: &Option<Rc<Node>>| match (left, right) {
            (Some(left), Some(right)) => Rc::ptr_eq(left, right),
            (None, None) => true,
            _ => false,
        };
        same(&self.undo.top, &other.undo.top) && same(&self.redo.top, &other.redo.top) && self.unread == other.unread
    }
}

/// A step seen in place, newest first, for a store that writes only what changed.
pub struct StepView<'a> {
    pub edit: &'a Edit,
    pub group: Option<&'a str>,
    pub at: i64,
    /// Its position counted from the bottom of the stack (0 = oldest).
    pub depth: usize,
    /// The step's node address: different whenever this step or any step below it differs, as
    /// long as the history it was taken from is alive (nodes are never reused while referenced).
    pub identity: usize,
}

impl Stack {
    fn views(&self, limit: usize) -> Vec<StepView<'_>> {
        let mut views = Vec::new();
        let mut node = self.top.as_ref();
        let mut depth = self.length;
        while let Some(current) = node {
            if views.len() == limit || depth == 0 {
                break;
            }
            depth -= 1;
            views.push(StepView {
                edit: &current.edit,
                group: current.group.as_deref(),
                at: current.at,
                depth,
                identity: Rc::as_ptr(current) as usize,
            });
            node = current.below.as_ref();
        }
        views
    }
}

impl History {
    /// The newest `limit` undo steps, newest first, with their depth and identity.
    pub fn undo_views(&self, limit: usize) -> Vec<StepView<'_>> {
        self.undo.views(limit)
    }

    /// The newest `limit` redo steps, newest first, with their depth and identity.
    pub fn redo_views(&self, limit: usize) -> Vec<StepView<'_>> {
        self.redo.views(limit)
    }

    /// The newest `limit` steps of each stack, for storage.
    pub fn to_stored(&self, limit: usize) -> HistorySteps {
        HistorySteps { undo: self.undo.to_steps(limit), redo: self.redo.to_steps(limit) }
    }

    pub fn from_stored(stored: HistorySteps) -> History {
        History { undo: Stack::from_steps(stored.undo), redo: Stack::from_steps(stored.redo), unread: None }
    }

    /// The history of a project loaded without reading its stored stacks (the app reads them
    /// with the editing code, after the first paint): it holds no step, says whether undo and
    /// redo will have some, and a save leaves the stored stacks as they are
    /// (`formats::stored::save::plan`). Nothing edits it: edits wait for the editing code, which
    /// replaces it with the stacks read (`AppAction::HistoryRead`) before any edit.
    pub fn unread(undo: bool, redo: bool) -> History {
        History { unread: Some(Unread { undo, redo }), ..History::default() }
    }

    /// Whether this is a history whose stored stacks are not read yet ([`History::unread`]).
    pub fn is_unread(&self) -> bool {
        self.unread.is_some()
    }

    pub fn can_undo(&self) -> bool {
        self.undo.length > 0 || self.unread.is_some_and(|unread| unread.undo)
    }

    pub fn can_redo(&self) -> bool {
        self.redo.length > 0 || self.unread.is_some_and(|unread| unread.redo)
    }

    pub fn undo_depth(&self) -> usize {
        self.undo.length
    }

    pub fn redo_depth(&self) -> usize {
        self.redo.length
    }

    /// Applies `edit` and records its inverse; a new edit clears the redo stack.
    pub fn apply(&self, project: &mut Project, edit: Edit, now: i64) -> Result<History, EditError> {
        let inverse = project.apply(edit, now)?;
        Ok(History { undo: self.undo.push(inverse), redo: Stack::default(), unread: None })
    }

    /// Applies `edit` like [`History::apply`], but when the previous step belongs to the same
    /// `group` and is recent, the two become one undo step (typing a note letter by letter
    /// autosaves every letter yet undoes as one change).
    pub fn apply_grouped(
        &self,
        project: &mut Project,
        edit: Edit,
        now: i64,
        group: &str,
    ) -> Result<History, EditError> {
        let inverse = project.apply(edit, now)?;
        if let Some(top) = &self.undo.top {
            if top.group.as_deref() == Some(group) && now - top.at <= GROUP_WINDOW_MS {
                let merged = Stack { top: top.below.clone(), length: self.undo.length - 1 }.push_grouped(
                    top.edit.clone(),
                    top.group.clone(),
                    now,
                );
                return Ok(History { undo: merged, redo: Stack::default(), unread: None });
            }
        }
        let undo = self.undo.push_grouped(inverse, Some(group.to_string()), now);
        Ok(History { undo, redo: Stack::default(), unread: None })
    }

    /// Undoes the last edit. `Ok(None)` when there is nothing to undo.
    pub fn undo(&self, project: &mut Project, now: i64) -> Result<Option<History>, EditError> {
        let Some((inverse, rest)) = self.undo.pop() else { return Ok(None) };
        let redo_edit = project.apply(inverse, now)?;
        Ok(Some(History { undo: rest, redo: self.redo.push(redo_edit), unread: None }))
    }

    /// Redoes the last undone edit. `Ok(None)` when there is nothing to redo.
    pub fn redo(&self, project: &mut Project, now: i64) -> Result<Option<History>, EditError> {
        let Some((edit, rest)) = self.redo.pop() else { return Ok(None) };
        let inverse = project.apply(edit, now)?;
        Ok(Some(History { undo: self.undo.push(inverse), redo: rest, unread: None }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::SpanId;
    use crate::domain::article::Article;
    use crate::domain::project::new_span;

    fn project() -> Project {
        Project::with_articles(vec![Article::new("One two three four.", "", "t")])
    }

    fn add(project: &Project, id: &str, start: usize, end: usize) -> Edit {
        let article = project.articles()[0].clone();
        Edit::AddSpan(new_span(project, SpanId::from(id), &article, start, end, &"claim".into(), 0).unwrap())
    }

    #[test]
    fn undo_and_redo_walk_back_and_forth() {
        let mut project = project();
        let empty = project.clone();
        let mut history = History::default();
        history = {
            let edit = add(&project, "a", 0, 3);
            history.apply(&mut project, edit, 1)
        }
        .unwrap();
        let after_one = project.clone();
        history = {
            let edit = add(&project, "b", 4, 7);
            history.apply(&mut project, edit, 2)
        }
        .unwrap();
        assert_eq!(project.spans().len(), 2);
        history = history.undo(&mut project, 3).unwrap().unwrap();
        assert_eq!(project.spans().keys().collect::<Vec<_>>(), after_one.spans().keys().collect::<Vec<_>>());
        history = history.undo(&mut project, 4).unwrap().unwrap();
        assert_eq!(project.spans(), empty.spans());
        assert!(history.undo(&mut project, 5).unwrap().is_none());
        history = history.redo(&mut project, 6).unwrap().unwrap();
        history = history.redo(&mut project, 7).unwrap().unwrap();
        assert_eq!(project.spans().len(), 2);
        assert!(!history.can_redo());
        // A new edit after an undo clears the redo stack.
        history = history.undo(&mut project, 8).unwrap().unwrap();
        history = {
            let edit = add(&project, "c", 8, 13);
            history.apply(&mut project, edit, 9)
        }
        .unwrap();
        assert!(!history.can_redo());
        assert_eq!(history.undo_depth(), 2);
    }

    #[test]
    fn grouped_edits_undo_as_one_step() {
        let mut project = project();
        let edit = add(&project, "a", 0, 3);
        let mut history = History::default().apply(&mut project, edit, 0).unwrap();
        for (time, note) in [(10, "n"), (20, "no"), (30, "not"), (40, "note")] {
            let mut span = (*project.spans()[&SpanId::from("a")]).clone();
            span.attributes.insert("note".to_string(), note.to_string());
            history = history.apply_grouped(&mut project, Edit::UpdateSpan(span), time, "a:note").unwrap();
        }
        assert_eq!(history.undo_depth(), 2);
        history = history.undo(&mut project, 50).unwrap().unwrap();
        assert_eq!(project.spans()[&SpanId::from("a")].attribute("note"), "");
        // Past the window, typing starts a new step.
        let mut span = (*project.spans()[&SpanId::from("a")]).clone();
        span.attributes.insert("note".to_string(), "x".to_string());
        history = history.apply_grouped(&mut project, Edit::UpdateSpan(span.clone()), 100, "a:note").unwrap();
        span.attributes.insert("note".to_string(), "xy".to_string());
        history =
            history.apply_grouped(&mut project, Edit::UpdateSpan(span), 100 + GROUP_WINDOW_MS + 1, "a:note").unwrap();
        assert_eq!(history.undo_depth(), 3);
    }

    #[test]
    fn stored_history_round_trips_and_keeps_the_newest_steps() {
        let mut project = project();
        let mut history = History::default();
        for (index, (start, end)) in [(0, 3), (4, 7), (8, 13), (14, 18)].into_iter().enumerate() {
            history = {
                let edit = add(&project, &format!("s{index}"), start, end);
                history.apply(&mut project, edit, index as i64)
            }
            .unwrap();
        }
        history = history.undo(&mut project, 10).unwrap().unwrap();
        let stored = history.to_stored(2);
        assert_eq!(stored.undo.len(), 2);
        assert_eq!(stored.redo.len(), 1);
        let restored = History::from_stored(stored.clone());
        assert_eq!(restored.to_stored(2), stored);
        let mut copy = project.clone();
        let restored = restored.undo(&mut copy, 11).unwrap().unwrap();
        assert_eq!(copy.spans().len(), 2);
        assert!(restored.redo(&mut copy, 12).unwrap().is_some());
    }
}
