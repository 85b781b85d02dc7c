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

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Stack,
    redo: Stack,
}

impl PartialEq for History {
    fn eq(&self, other: &History) -> bool {
        let same = |left: &Option<Rc<Node>>, right: &Option<Rc<Node>>| match (left, right) {
            (Some(left), Some(right)) => Rc::ptr_eq(left, right),
            (None, None) => true,
            _ => false,
        };
        same(&self.undo.top, &other.undo.top) && same(&self.redo.top, &other.redo.top)
    }
}

impl History {
    pub fn can_undo(&self) -> bool {
        self.undo.length > 0
    }

    pub fn can_redo(&self) -> bool {
        self.redo.length > 0
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
        Ok(History { undo: self.undo.push(inverse), redo: Stack::default() })
    }

    /// Applies `edit` like [`History::apply`], but when the previous step belongs to the same
    /// `group` and is recent, the two become one undo step (typing a note letter by letter
    /// autosaves every letter yet undoes as one change).
    pub fn apply_grouped(&self, project: &mut Project, edit: Edit, now: i64, group: &str) -> Result<History, EditError> {
        let inverse = project.apply(edit, now)?;
        if let Some(top) = &self.undo.top {
            if top.group.as_deref() == Some(group) && now - top.at <= GROUP_WINDOW_MS {
                let merged = Stack { top: top.below.clone(), length: self.undo.length - 1 }.push_grouped(
                    top.edit.clone(),
                    top.group.clone(),
                    now,
                );
                return Ok(History { undo: merged, redo: Stack::default() });
            }
        }
        Ok(History { undo: self.undo.push_grouped(inverse, Some(group.to_string()), now), redo: Stack::default() })
    }

    /// Undoes the last edit. `Ok(None)` when there is nothing to undo.
    pub fn undo(&self, project: &mut Project, now: i64) -> Result<Option<History>, EditError> {
        let Some((inverse, rest)) = self.undo.pop() else { return Ok(None) };
        let redo_edit = project.apply(inverse, now)?;
        Ok(Some(History { undo: rest, redo: self.redo.push(redo_edit) }))
    }

    /// Redoes the last undone edit. `Ok(None)` when there is nothing to redo.
    pub fn redo(&self, project: &mut Project, now: i64) -> Result<Option<History>, EditError> {
        let Some((edit, rest)) = self.redo.pop() else { return Ok(None) };
        let inverse = project.apply(edit, now)?;
        Ok(Some(History { undo: self.undo.push(inverse), redo: rest }))
    }
}
