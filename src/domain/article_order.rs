//! Merging an article order that arrives (from the team server, or another tab) into this
//! copy's list: the incoming order for the articles both have, and each article only this copy
//! has kept right after the article it followed here. No article is lost or listed twice.

use std::collections::{HashMap, HashSet};

use crate::domain::article::ArticleId;

/// The merged order of `local` (this copy's articles, each once) under `incoming` (an order
/// that may name articles this copy lacks, or name one twice: both ignored). Every article of
/// `local` appears exactly once in the result, and nothing else does.
pub fn merge_order<T>(local: &[T], incoming: &[ArticleId], id_of: impl Fn(&T) -> &ArticleId) -> Vec<T>
where
    T: Clone,
{
    let by_id: HashMap<&ArticleId, &T> = local.iter().map(|item| (id_of(item), item)).collect();
    let mut placed: HashSet<&ArticleId> = HashSet::with_capacity(local.len());
    let mut merged: Vec<&ArticleId> = Vec::with_capacity(local.len());
    for id in incoming {
        if let Some((known, _)) = by_id.get_key_value(id) {
            if placed.insert(known) {
                merged.push(known);
            }
        }
    }
    // Each local-only article goes right after its predecessor here (already placed, since
    // the local list is walked in order), or first when it was first.
    for (index, item) in local.iter().enumerate() {
        let id = id_of(item);
        if placed.contains(id) {
            continue;
        }
        let position = match index.checked_sub(1).map(|before| id_of(&local[before])) {
            Some(before) => merged.iter().position(|placed| *placed == before).map_or(merged.len(), |at| at + 1),
            None => 0,
        };
        merged.insert(position, id);
        placed.insert(id);
    }
    merged.into_iter().filter_map(|id| by_id.get(id).map(|item| (*item).clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<ArticleId> {
        names.iter().map(|name| ArticleId::from(name.to_string())).collect()
    }

    fn merged(local: &[&str], incoming: &[&str]) -> Vec<String> {
        merge_order(&ids(local), &ids(incoming), |id| id).iter().map(|id| id.as_str().to_string()).collect()
    }

    #[test]
    fn the_incoming_order_wins_for_shared_articles_and_local_ones_stay_after_their_neighbour() {
        assert_eq!(merged(&["a", "b", "c"], &["c", "a", "b"]), ["c", "a", "b"]);
        assert_eq!(merged(&["a", "x", "b", "c"], &["c", "b", "a"]), ["c", "b", "a", "x"]);
        assert_eq!(merged(&["x", "a", "b"], &["b", "a"]), ["x", "b", "a"]);
        assert_eq!(merged(&["a", "b", "x", "y"], &["b", "a"]), ["b", "x", "y", "a"]);
    }

    #[test]
    fn articles_this_copy_lacks_or_named_twice_are_neither_added_nor_duplicated() {
        assert_eq!(merged(&["a", "b"], &["z", "b", "b", "a", "q"]), ["b", "a"]);
        assert_eq!(merged(&["a", "b"], &[]), ["a", "b"]);
        assert_eq!(merged(&[], &["a"]), Vec::<String>::new());
    }
}
