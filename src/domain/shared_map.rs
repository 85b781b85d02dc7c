//! A sorted map whose copies share everything an edit does not change: the project's span and
//! relation maps.
//!
//! The app keeps every version of the project it has shown until the next render (Yew's state,
//! the props of the components, the saved state), so an edit always changes a map that another
//! version still holds. With one `Rc<BTreeMap>` that edit copied all 10,000 entries of the
//! benchmark's span map (~1 ms of a tag in wasm) and freed the old copy later (~1 ms more).
//! [`SharedMap`] keeps its entries in sorted chunks of at most [`CHUNK_MAX`] entries, each
//! behind its own `Rc`: an edit copies the list of chunks (one pointer per ~100 entries) and the
//! one chunk it changes.
//!
//! A chunk is a sorted vector of entries, not a `BTreeMap`: a lookup is a binary search over the
//! chunks' first keys, then one within the chunk; an edit shifts at most [`CHUNK_MAX`] entries;
//! copying a chunk is one allocation. (With `BTreeMap` chunks, the B-tree code for the span and
//! relation maps, insert, remove and rebalance for each, was 29 KB of the main module's code
//! before `wasm-opt`; the optimised main wasm is 12.7 KiB smaller without it.)
//!
//! (`imbl::OrdMap` does the same with a deeper tree; it was measured: building the 12,000-item
//! store into a project took ~10 % longer, and the first load grew by 2.2 KiB.)
//!
//! Invariants: no chunk is empty; each chunk's keys are strictly increasing; the chunks are in
//! key order and their key ranges do not overlap; `len` is the sum of the chunks' lengths.

use std::borrow::Borrow;
use std::fmt;
use std::rc::Rc;

/// The most entries a chunk holds: an edit copies at most this many (cheap `Rc` clones for the
/// project's ids and values).
pub const CHUNK_MAX: usize = 128;

/// A chunk merges into its neighbour when a removal leaves it with fewer entries than this and
/// the two fit in one chunk.
const CHUNK_MIN: usize = CHUNK_MAX / 4;

/// Entries in strictly increasing key order.
type Chunk<K, V> = Vec<(K, V)>;

/// A sorted map, cheap to clone, whose edits copy one chunk (see the module's documentation).
pub struct SharedMap<K, V> {
    chunks: Rc<Vec<Rc<Chunk<K, V>>>>,
    len: usize,
}

impl<K, V> Clone for SharedMap<K, V> {
    fn clone(&self) -> SharedMap<K, V> {
        SharedMap { chunks: Rc::clone(&self.chunks), len: self.len }
    }
}

impl<K, V> Default for SharedMap<K, V> {
    fn default() -> SharedMap<K, V> {
        SharedMap { chunks: Rc::default(), len: 0 }
    }
}

/// Where `key` is in `chunk` (`Ok`), or where it would go (`Err`).
fn search<K: Borrow<Q>, Q: Ord + ?Sized, V>(chunk: &[(K, V)], key: &Q) -> Result<usize, usize> {
    chunk.binary_search_by(|(entry, _)| entry.borrow().cmp(key))
}

/// An entry as the pair of references the map's iterators give.
fn pair<K, V>(entry: &(K, V)) -> (&K, &V) {
    (&entry.0, &entry.1)
}

/// Reading needs only ordered keys.
impl<K: Ord, V> SharedMap<K, V> {
    pub fn new() -> SharedMap<K, V> {
        SharedMap::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The index of the chunk that holds `key`, or would: the last chunk whose first key is not
    /// after it (the first chunk for a key before every key).
    fn chunk_for<Q>(&self, key: &Q) -> usize
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let after = self.chunks.partition_point(|chunk| chunk.first().is_some_and(|(first, _)| first.borrow() <= key));
        after.saturating_sub(1)
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get_key_value(key).map(|(_, value)| value)
    }

    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let chunk = self.chunks.get(self.chunk_for(key))?;
        search(chunk, key).ok().map(|at| pair(&chunk[at]))
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get(key).is_some()
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + Clone + '_ {
        self.into_iter()
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + Clone + '_ {
        self.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + Clone + '_ {
        self.iter().map(|(_, value)| value)
    }

    /// The length of each chunk (for tests of the chunking).
    #[cfg(test)]
    fn chunk_lengths(&self) -> Vec<usize> {
        self.chunks.iter().map(|chunk| chunk.len()).collect()
    }
}

/// Changing a map another copy shares clones the entries of the chunk it changes.
impl<K: Ord + Clone, V: Clone> SharedMap<K, V> {
    /// Cuts entries already in strictly increasing key order into full chunks.
    fn from_sorted(sorted: Vec<(K, V)>) -> SharedMap<K, V> {
        let len = sorted.len();
        let mut chunks = Vec::with_capacity(len.div_ceil(CHUNK_MAX));
        let mut entries = sorted.into_iter().peekable();
        while entries.peek().is_some() {
            chunks.push(Rc::new(entries.by_ref().take(CHUNK_MAX).collect::<Chunk<K, V>>()));
        }
        SharedMap { chunks: Rc::new(chunks), len }
    }

    /// Inserts or replaces (the key stored first stays, as with `BTreeMap`); copies the chunk
    /// list and the one chunk when another copy of the map shares them.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let index = self.chunk_for(&key);
        let chunks = Rc::make_mut(&mut self.chunks);
        if chunks.is_empty() {
            chunks.push(Rc::new(vec![(key, value)]));
            self.len = 1;
            return None;
        }
        let chunk = Rc::make_mut(&mut chunks[index]);
        match search(chunk, &key) {
            Ok(at) => Some(std::mem::replace(&mut chunk[at].1, value)),
            Err(at) => {
                chunk.insert(at, (key, value));
                self.len += 1;
                if chunk.len() > CHUNK_MAX {
                    let upper = chunk.split_off(chunk.len() / 2);
                    chunks.insert(index + 1, Rc::new(upper));
                }
                None
            }
        }
    }

    /// Removes and returns the value; copies nothing when the key is not there.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let index = self.chunk_for(key);
        let at = search(self.chunks.get(index)?, key).ok()?;
        let chunks = Rc::make_mut(&mut self.chunks);
        let chunk = Rc::make_mut(&mut chunks[index]);
        let (_, removed) = chunk.remove(at);
        self.len -= 1;
        if chunk.is_empty() {
            chunks.remove(index);
        } else if chunk.len() < CHUNK_MIN {
            // Merge with the smaller neighbour when the two fit in one chunk, so that removals
            // do not leave a long list of tiny chunks.
            let neighbour = [index.checked_sub(1), Some(index + 1).filter(|next| *next < chunks.len())]
                .into_iter()
                .flatten()
                .min_by_key(|other| chunks[*other].len());
            if let Some(other) = neighbour.filter(|other| chunks[*other].len() + chunks[index].len() <= CHUNK_MAX) {
                let (low, high) = if other < index { (other, index) } else { (index, other) };
                let mut upper = Rc::unwrap_or_clone(chunks.remove(high));
                Rc::make_mut(&mut chunks[low]).append(&mut upper);
            }
        }
        Some(removed)
    }

    pub fn clear(&mut self) {
        *self = SharedMap::default();
    }

    /// Keeps the entries `keep` accepts (a rebuild when one goes: for an export's scope, not
    /// for an edit). The kept entries come in key order, so no sort is compiled for them.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        let kept: Vec<(K, V)> = self
            .iter()
            .filter(|(key, value)| keep(key, value))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        if kept.len() != self.len {
            *self = SharedMap::from_sorted(kept);
        }
    }

    /// The values in key order, owned (clones of those another copy of the map shares).
    pub fn into_values(self) -> impl Iterator<Item = V> {
        self.into_iter().map(|(_, value)| value)
    }
}

impl<K: Ord + Clone, V: Clone> FromIterator<(K, V)> for SharedMap<K, V> {
    /// Sorts stably by key (the last of equal keys wins, as with `BTreeMap`) and cuts the
    /// entries into full chunks. (What `collect::<BTreeMap<_, _>>()` does before it builds its
    /// tree: the same sort, without the tree's code.)
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> SharedMap<K, V> {
        let mut entries: Vec<(K, V)> = entries.into_iter().collect();
        entries.sort_by(|left, right| left.0.cmp(&right.0));
        // In place: `dedup_by` drops `later` and keeps `kept`, so the later entry moves into it.
        entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
        SharedMap::from_sorted(entries)
    }
}

impl<K: Ord + Clone, V: Clone> IntoIterator for SharedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::iter::FlatMap<
        std::vec::IntoIter<Rc<Chunk<K, V>>>,
        std::vec::IntoIter<(K, V)>,
        fn(Rc<Chunk<K, V>>) -> std::vec::IntoIter<(K, V)>,
    >;

    fn into_iter(self) -> Self::IntoIter {
        Rc::unwrap_or_clone(self.chunks).into_iter().flat_map(|chunk| Rc::unwrap_or_clone(chunk).into_iter())
    }
}

/// The iterator over one chunk's entries as pairs of references.
type ChunkIter<'map, K, V> = std::iter::Map<std::slice::Iter<'map, (K, V)>, fn(&'map (K, V)) -> (&'map K, &'map V)>;

impl<'map, K, V> IntoIterator for &'map SharedMap<K, V> {
    type Item = (&'map K, &'map V);
    type IntoIter = std::iter::FlatMap<
        std::slice::Iter<'map, Rc<Chunk<K, V>>>,
        ChunkIter<'map, K, V>,
        fn(&'map Rc<Chunk<K, V>>) -> ChunkIter<'map, K, V>,
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.chunks.iter().flat_map(|chunk| chunk.iter().map(pair as fn(&'map (K, V)) -> (&'map K, &'map V)))
    }
}

/// `map[&key]`, which panics when the key is not there, as `BTreeMap`'s does (for tests; the
/// app reads with `get`).
impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for SharedMap<K, V> {
    type Output = V;

    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<K: Ord, V: PartialEq> PartialEq for SharedMap<K, V> {
    fn eq(&self, other: &SharedMap<K, V>) -> bool {
        self.len == other.len && (Rc::ptr_eq(&self.chunks, &other.chunks) || self.iter().eq(other.iter()))
    }
}

impl<K: Ord, V: Eq> Eq for SharedMap<K, V> {}

impl<K: Ord + fmt::Debug, V: fmt::Debug> fmt::Debug for SharedMap<K, V> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// A small deterministic generator (no dependency for a test of a few thousand steps).
    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    fn check_invariants(map: &SharedMap<u32, u32>) {
        let lengths = map.chunk_lengths();
        assert!(lengths.iter().all(|length| (1..=CHUNK_MAX).contains(length)), "chunk lengths {lengths:?}");
        assert_eq!(lengths.iter().sum::<usize>(), map.len());
        let keys: Vec<u32> = map.keys().copied().collect();
        assert!(keys.windows(2).all(|pair| pair[0] < pair[1]), "keys out of order");
    }

    #[test]
    fn random_inserts_and_removals_match_a_btree_map() {
        let mut seed = 0x2545_f491_4f6c_dd1d;
        let mut map = SharedMap::new();
        let mut model = BTreeMap::new();
        let mut versions = Vec::new();
        for step in 0..20_000 {
            let key = (next(&mut seed) % 3_000) as u32;
            // Twice as many inserts as removals while growing, then the other way round, so
            // that chunks split and then empty and merge.
            let growing = step < 12_000;
            let insert = next(&mut seed) % 3 != u64::from(growing);
            if insert {
                assert_eq!(map.insert(key, step), model.insert(key, step));
            } else {
                assert_eq!(map.remove(&key), model.remove(&key));
            }
            if step % 500 == 0 {
                check_invariants(&map);
                versions.push((map.clone(), model.clone()));
            }
            assert_eq!(map.len(), model.len());
        }
        check_invariants(&map);
        assert!(map.iter().map(|(k, v)| (*k, *v)).eq(model.iter().map(|(k, v)| (*k, *v))));
        for probe in 0..3_000 {
            assert_eq!(map.get(&probe), model.get(&probe));
        }
        // Every earlier copy is unchanged by the edits made after it.
        for (version, model) in versions {
            assert!(version.iter().map(|(k, v)| (*k, *v)).eq(model.iter().map(|(k, v)| (*k, *v))));
        }
    }

    #[test]
    fn an_edit_copies_one_chunk_and_leaves_the_others_shared() {
        let map: SharedMap<u32, u32> = (0..10_000).map(|key| (key, key)).collect();
        let mut edited = map.clone();
        edited.insert(5_000, 0);
        edited.remove(&7_000);
        let shared =
            map.chunks.iter().filter(|chunk| edited.chunks.iter().any(|other| Rc::ptr_eq(chunk, other))).count();
        assert_eq!(shared, map.chunks.len() - 2);
        assert_eq!(map.get(&5_000), Some(&5_000));
        assert_eq!(map.get(&7_000), Some(&7_000));
        assert_eq!(edited.get(&5_000), Some(&0));
        assert_eq!(edited.get(&7_000), None);
    }

    #[test]
    fn removing_a_missing_key_copies_nothing() {
        let map: SharedMap<u32, u32> = (0..1_000).map(|key| (key * 2, key)).collect();
        let mut edited = map.clone();
        assert_eq!(edited.remove(&3), None);
        assert!(Rc::ptr_eq(&map.chunks, &edited.chunks));
    }

    #[test]
    fn keys_before_the_first_and_after_the_last_are_found_and_inserted() {
        let mut map: SharedMap<u32, u32> = (100..400).map(|key| (key, key)).collect();
        map.insert(1, 1);
        map.insert(1_000, 1_000);
        assert_eq!(map.get(&1), Some(&1));
        assert_eq!(map.get(&1_000), Some(&1_000));
        assert_eq!(map.get(&0), None);
        assert_eq!(map.keys().next(), Some(&1));
        assert_eq!(map.keys().next_back(), Some(&1_000));
        check_invariants(&map);
    }

    #[test]
    fn a_chunk_emptied_between_full_neighbours_is_dropped() {
        let mut map: SharedMap<u32, u32> = (0..3 * CHUNK_MAX as u32).map(|key| (key, key)).collect();
        assert_eq!(map.chunk_lengths(), [CHUNK_MAX; 3]);
        for key in CHUNK_MAX as u32..2 * CHUNK_MAX as u32 {
            map.remove(&key);
            check_invariants(&map);
        }
        assert_eq!(map.chunk_lengths(), [CHUNK_MAX; 2]);
        assert_eq!(map.get(&(CHUNK_MAX as u32)), None);
        assert_eq!(map.get(&(2 * CHUNK_MAX as u32)), Some(&(2 * CHUNK_MAX as u32)));
    }

    #[test]
    fn a_small_chunk_merges_into_a_neighbour_with_room() {
        let mut map: SharedMap<u32, u32> = (0..2 * CHUNK_MAX as u32).map(|key| (key, key)).collect();
        for key in 0..CHUNK_MAX as u32 - CHUNK_MIN as u32 + 1 {
            map.remove(&key);
        }
        for key in CHUNK_MAX as u32..2 * CHUNK_MAX as u32 - CHUNK_MIN as u32 + 1 {
            map.remove(&key);
        }
        check_invariants(&map);
        assert_eq!(map.chunk_lengths().len(), 1, "{:?}", map.chunk_lengths());
    }

    #[test]
    fn from_iter_of_unsorted_entries_with_repeated_keys_is_the_btree_map_of_them() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for count in [0, 1, CHUNK_MAX, CHUNK_MAX + 1, 5_000] {
            let entries: Vec<(u32, u32)> =
                (0..count).map(|step| ((next(&mut seed) % 1_000) as u32, step as u32)).collect();
            let map: SharedMap<u32, u32> = entries.iter().copied().collect();
            let model: BTreeMap<u32, u32> = entries.into_iter().collect();
            check_invariants(&map);
            assert!(map.iter().map(|(k, v)| (*k, *v)).eq(model.iter().map(|(k, v)| (*k, *v))));
        }
    }

    #[test]
    fn from_iter_keeps_the_last_of_equal_keys() {
        let map: SharedMap<u32, u32> = [(1, 1), (2, 2), (1, 3)].into_iter().collect();
        assert_eq!(map.get(&1), Some(&3));
        assert_eq!(map.len(), 2);
    }
}
