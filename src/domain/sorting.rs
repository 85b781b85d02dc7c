//! Sorting through one compiled sort, so that each new ordering costs a few bytes of wasm.
//!
//! The standard library's `sort_by` is compiled once per element type and comparison: about
//! 3.7 KB of wasm each (its quicksort, merge and small-sort parts): 37 stable and 9 unstable
//! copies, 138 KB of the main wasm's code, before this module. [`sort_by`] and its friends sort a list of positions
//! with one shared instance of the standard stable sort, comparing through a `dyn` closure, and
//! then move the items into that order; only the short permutation loop is compiled per element
//! type. The order is the standard stable sort's, so results are the same, ties included.
//!
//! Hot paths that sort thousands of items in a frame may keep the standard sort: a comparison
//! here is an indirect call plus two index lookups.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` stably by `compare` (as `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let items = &*items;
        sorted_positions(items.len(), &mut |left, right| compare(&items[left], &items[right]))
    };
    permute(items, order);
}

/// Sorts `items` stably by `key` (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |left, right| key(left).cmp(&key(right)));
}

/// Sorts `items` stably by `key`, found once per item (as `slice::sort_by_cached_key`).
pub fn sort_by_cached_key<T, K: Ord>(items: &mut [T], key: impl FnMut(&T) -> K) {
    if items.len() < 2 {
        return;
    }
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = sorted_positions(keys.len(), &mut |left, right| keys[left].cmp(&keys[right]));
    permute(items, order);
}

/// Sorts `items` in their natural order (as `slice::sort`).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Collecting into a `BTreeSet` or `BTreeMap` by inserting each item: the standard `collect`
/// sorts the items first, with one more compiled sort per item type.
pub trait InsertEach: Iterator + Sized {
    /// As `collect::<BTreeSet<_>>()`.
    fn into_set(self) -> BTreeSet<Self::Item>
    where
        Self::Item: Ord,
    {
        let mut set = BTreeSet::new();
        for item in self {
            set.insert(item);
        }
        set
    }

    /// As `collect::<BTreeMap<_, _>>()` (a later value for the same key wins).
    fn into_map<K: Ord, V>(self) -> BTreeMap<K, V>
    where
        Self: Iterator<Item = (K, V)>,
    {
        let mut map = BTreeMap::new();
        for (key, value) in self {
            map.insert(key, value);
        }
        map
    }
}

impl<I: Iterator> InsertEach for I {}

/// The positions `0..len` in the stable order `compare` gives them: the one compiled sort.
#[inline(never)]
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&left, &right| compare(left, right));
    order
}

/// Moves `items` so that position `p` holds what was at `order[p]`, following each cycle of the
/// permutation once (every item moves at most once; `order` is used up as the visited marks).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut position = start;
        loop {
            let source = order[position];
            order[position] = position;
            if source == start || source == position {
                break;
            }
            items.swap(position, source);
            position = source;
        }
    }
}

/// Native only: the property tests use proptest, a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sort_by_gives_the_standard_stable_order(items in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut ours = items.clone();
            let mut standard = items;
            sort_by(&mut ours, |left, right| left.0.cmp(&right.0));
            standard.sort_by_key(|item| item.0);
            prop_assert_eq!(ours, standard);
        }

        #[test]
        fn sort_by_cached_key_and_sort_agree_with_the_standard_ones(items in proptest::collection::vec(any::<i32>(), 0..200)) {
            let mut cached = items.clone();
            let mut natural = items.clone();
            let mut standard = items;
            sort_by_cached_key(&mut cached, |item| std::cmp::Reverse(*item));
            sort(&mut natural);
            standard.sort();
            prop_assert_eq!(&natural, &standard);
            standard.reverse();
            prop_assert_eq!(cached, standard);
        }
    }

    #[test]
    fn into_map_keeps_the_last_value_like_collect() {
        let pairs = [(2, "b"), (1, "a"), (2, "c")];
        assert_eq!(pairs.into_iter().into_map(), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!([3, 1, 3].into_iter().into_set(), BTreeSet::from([1, 3]));
    }

    #[test]
    fn sorts_items_that_are_not_copied() {
        let mut names: Vec<String> =
            ["delta", "alpha", "charlie", "bravo", "alpha"].iter().map(|name| name.to_string()).collect();
        sort_by_key(&mut names, |name| name.clone());
        assert_eq!(names, ["alpha", "alpha", "bravo", "charlie", "delta"]);
    }
}
