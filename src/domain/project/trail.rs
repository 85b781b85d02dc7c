//! Which spans and relations the edits since an earlier version of a project touched, so that a
//! save writes what an edit changed without walking 10,000 spans to find it.
//!
//! Every [`Project`](super::Project) carries a [`Trail`]: a shared, immutable chain of steps, one
//! per applied edit, each naming the span and relation ids that edit inserted, replaced or removed.
//! A project built whole (a load, a merge, an import) starts a chain of its own, so two projects of
//! different lineage never share a step. [`Trail::since`] walks back from a newer version to an
//! older one and returns the union of the ids on the way; when the older one is not on the chain
//! (another lineage, or more than [`MAX_STEPS`] edits apart) it returns `None`, and the caller
//! compares the whole maps instead. The chain is cut every [`MAX_STEPS`] steps, so it never keeps
//! more than that many small steps alive however long a session runs.

use crate::domain::shared_map::SharedMap;
use std::collections::BTreeSet;
use std::rc::Rc;

use crate::domain::annotation::{RelationId, SpanId};

/// Steps a chain holds before it is cut (the next edit starts a new chain).
pub const MAX_STEPS: usize = 256;

/// The ids one or more edits touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    pub spans: BTreeSet<SpanId>,
    pub relations: BTreeSet<RelationId>,
}

impl Touched {
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty() && self.relations.is_empty()
    }
}

/// The entries of `keys` (ids an edit touched) that differ between two versions of a map: each
/// key with its value before and after (`None` where the version does not hold it). A value
/// replaced by an equal one is no change.
pub fn differing<'a, K: Ord, T: PartialEq>(
    before: &'a SharedMap<K, Rc<T>>,
    after: &'a SharedMap<K, Rc<T>>,
    keys: &'a BTreeSet<K>,
) -> impl Iterator<Item = (&'a K, Option<&'a Rc<T>>, Option<&'a Rc<T>>)> + 'a {
    keys.iter().filter_map(move |key| match (before.get(key), after.get(key)) {
        (Some(old), Some(new)) if Rc::ptr_eq(old, new) || old == new => None,
        (None, None) => None,
        (old, new) => Some((key, old, new)),
    })
}

struct Step {
    /// The version before this step's edit; `None` at the start of a chain.
    parent: Option<Rc<Step>>,
    /// Steps between this one and the start of its chain.
    depth: usize,
    spans: Vec<SpanId>,
    relations: Vec<RelationId>,
}

/// A project version's place in its chain of edits (see the module documentation). Two trails
/// are the same version when they are the same step (by pointer). It is bookkeeping, not content:
/// projects equal in content compare equal whatever their trails.
#[derive(Clone)]
pub struct Trail(Rc<Step>);

/// Only the depth: a project's debug output does not list up to 256 steps.
impl std::fmt::Debug for Trail {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "Trail(depth {})", self.0.depth)
    }
}

impl Default for Trail {
    /// The start of a new chain, shared with no other project.
    fn default() -> Trail {
        Trail(Rc::new(Step { parent: None, depth: 0, spans: Vec::new(), relations: Vec::new() }))
    }
}

impl PartialEq for Trail {
    fn eq(&self, _other: &Trail) -> bool {
        true
    }
}

impl Trail {
    /// The trail after one more edit that touched `touched`.
    pub fn then(&self, touched: Touched) -> Trail {
        let (parent, depth) =
            if self.0.depth + 1 >= MAX_STEPS { (None, 0) } else { (Some(self.0.clone()), self.0.depth + 1) };
        Trail(Rc::new(Step {
            parent,
            depth,
            spans: touched.spans.into_iter().collect(),
            relations: touched.relations.into_iter().collect(),
        }))
    }

    /// Whether two trails are the same version.
    pub fn same(&self, other: &Trail) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// The ids touched by the edits from `older` to this version, or `None` when `older` is not
    /// an earlier version on this chain.
    pub fn since(&self, older: &Trail) -> Option<Touched> {
        let mut touched = Touched::default();
        let mut step = &self.0;
        loop {
            if Rc::ptr_eq(step, &older.0) {
                return Some(touched);
            }
            if step.depth <= older.0.depth {
                return None;
            }
            touched.spans.extend(step.spans.iter().cloned());
            touched.relations.extend(step.relations.iter().cloned());
            step = step.parent.as_ref()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(ids: &[&str]) -> Touched {
        Touched { spans: ids.iter().map(|id| SpanId::from(*id)).collect(), relations: BTreeSet::new() }
    }

    #[test]
    fn since_collects_the_ids_of_every_step_between_two_versions() {
        let start = Trail::default();
        let one = start.then(spans(&["a"]));
        let two = one.then(spans(&["b", "c"]));
        assert_eq!(two.since(&start), Some(spans(&["a", "b", "c"])));
        assert_eq!(two.since(&one), Some(spans(&["b", "c"])));
        assert_eq!(two.since(&two), Some(Touched::default()));
    }

    #[test]
    fn since_is_none_for_a_newer_version_another_chain_or_a_sibling() {
        let start = Trail::default();
        let one = start.then(spans(&["a"]));
        assert_eq!(start.since(&one), None);
        assert_eq!(one.since(&Trail::default()), None);
        let sibling = start.then(spans(&["b"]));
        assert_eq!(one.since(&sibling), None);
    }

    #[test]
    fn a_chain_is_cut_after_max_steps_and_then_finds_no_older_version() {
        let start = Trail::default();
        let mut trail = start.clone();
        for _ in 0..MAX_STEPS - 1 {
            trail = trail.then(spans(&["a"]));
        }
        assert!(trail.since(&start).is_some());
        let cut = trail.then(spans(&["a"]));
        assert_eq!(cut.since(&start), None);
        assert_eq!(cut.then(spans(&["b"])).since(&cut), Some(spans(&["b"])));
    }
}
