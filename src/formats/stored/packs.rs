//! Packs: many replicated documents in one `localStorage` item, so that a new tab reads a few
//! dozen items instead of twelve thousand (issue #20's load: a browser's first access to an
//! origin's items, and the read of each, grow with their number).
//!
//! A pack is the item `cc2/_pack/N`: a header, then `id SEP json SEP id SEP json …` with `SEP`
//! U+0001, which no JSON text holds raw and no packed id may hold. That is its text here;
//! `js/local_store.js` stores it deflated (`crosscheck-pack-deflate:` and base64, ~3× fewer
//! characters) and gives it back as text, so nothing in Rust sees the stored form (one that
//! cannot be inflated comes as it is, and reads as a pack this build cannot read). Packs are written by a
//! [`compaction`] only, and never edited after: every save still writes its documents as loose
//! items (`cc2/<id>`). Reading ([`expand`]) gives each id its loose item if there is one, else
//! its copy in the highest-numbered pack that holds it; so a loose item is always the newest.
//!
//! A compaction first rewrites the older packs whose copies are mostly overridden (with what
//! they alone hold), which frees room; then writes the loose documents into new packs, numbered
//! above every pack there is, each followed by the removal of its loose items (so it needs room
//! for one pack, not for a second copy of the store); then writes the mark `_local/packs`. After
//! any prefix of those writes the store reads as the same documents (a property test applies
//! every prefix), so a compaction can stop anywhere. It needs to be the only writer: `web::storage` runs one only while it holds the
//! store's exclusive Web Lock, and a tab that read the store before a compaction ended reads it
//! again (the mark changed).
//!
//! `_local/` documents (the manifest, the journal, the undo history, the view position) stay
//! loose: they change or go away often, and CouchDB never replicates them.

use std::collections::BTreeMap;

use crate::formats::stored::journal::Write;

/// The id prefix of packs (`_pack/N`).
pub const PACK_PREFIX: &str = "_pack/";
/// The id of the mark a compaction writes last: a tab whose store read began before it compares
/// it to tell whether that read may have seen half a compaction.
pub const PACKS_MARK_ID: &str = "_local/packs";
/// How many loose documents make a compaction worth its writes (a load of this many loose items
/// costs a new tab ~10-20 ms; one of 12,000 about 60 ms).
pub const COMPACT_FROM: usize = 4_000;
/// Documents per pack: a save never rewrites a pack, so their size only bounds a compaction's
/// extra quota (one pack's worth) and the work of rewriting an old pack.
pub const PACK_DOCUMENTS: usize = 1_000;

const SEPARATOR: char = '\u{1}';
/// The first field of a pack: its format. A pack with another header is left as it is, and its
/// documents are not read (reported by the load).
const HEADER: &str = "crosscheck-pack-1";

/// Whether a document may go into a pack: a replicated id (not `_local/…`, not a pack) whose id
/// and JSON hold no separator and no NUL (`js/local_store.js` joins items with NULs; valid JSON
/// holds neither; a corrupt item may, and stays loose).
pub fn is_packable(id: &str, json: &str) -> bool {
    let holds = |text: &str| text.contains(SEPARATOR) || text.contains('\0');
    !id.is_empty() && !id.starts_with('_') && !holds(id) && !holds(json)
}

/// The number of pack `id` (`_pack/N`).
pub fn pack_number(id: &str) -> Option<u64> {
    let digits = id.strip_prefix(PACK_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn pack_id(number: u64) -> String {
    format!("{PACK_PREFIX}{number}")
}

/// A pack's documents: `(id, json)`.
type Pairs<'a> = Vec<(&'a str, &'a str)>;

/// The `(id, json)` pairs of a pack's text, or `None` when it is not a pack this build reads.
pub fn read_pack(text: &str) -> Option<Pairs<'_>> {
    let mut fields = text.split(SEPARATOR);
    if fields.next() != Some(HEADER) {
        return None;
    }
    let mut pairs = Vec::new();
    while let Some(id) = fields.next() {
        let json = fields.next()?;
        if id.is_empty() || id.starts_with('_') {
            return None;
        }
        pairs.push((id, json));
    }
    Some(pairs)
}

/// A pack's text holding `documents`.
pub fn write_pack<'a>(documents: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut text = String::from(HEADER);
    for (id, json) in documents {
        text.push(SEPARATOR);
        text.push_str(id);
        text.push(SEPARATOR);
        text.push_str(json);
    }
    text
}

/// What a read found about packing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackStats {
    /// Loose items a compaction would pack.
    pub loose: usize,
    /// Packs read.
    pub packs: usize,
    /// Packs this build cannot read: their ids, left in the documents (nothing loads them).
    pub unreadable: Vec<String>,
}

impl PackStats {
    /// Whether a compaction is worth its writes.
    pub fn compaction_due(&self) -> bool {
        self.loose >= COMPACT_FROM
    }
}

/// The stored items (`(id, raw)`, ids without the key prefix, in any order) as documents by id:
/// every readable pack replaced by the documents it holds that no loose item or later pack
/// overrides.
pub fn expand(items: Vec<(String, String)>) -> (BTreeMap<String, String>, PackStats) {
    let mut stats = PackStats::default();
    let mut packs: Vec<(u64, String)> = Vec::new();
    let mut loose: Vec<(String, String)> = Vec::with_capacity(items.len());
    for (id, raw) in items {
        match pack_number(&id) {
            Some(number) => packs.push((number, raw)),
            None => {
                if is_packable(&id, &raw) {
                    stats.loose += 1;
                }
                loose.push((id, raw));
            }
        }
    }
    if packs.is_empty() {
        return (loose.into_iter().collect(), stats);
    }
    crate::domain::sorting::sort_by_key(&mut packs, |(number, _)| *number);
    // Packs in ascending number, then the loose items: of equal ids, `collect` keeps the last
    // (its stable sort, then a dedup keeping the last; the first test below holds it), so the
    // loose item wins, then the latest pack.
    let mut all: Vec<(String, String)> = Vec::with_capacity(loose.len() + packs.len() * PACK_DOCUMENTS);
    for (number, text) in &packs {
        match read_pack(text) {
            Some(pairs) => {
                stats.packs += 1;
                all.extend(pairs.into_iter().map(|(id, json)| (id.to_string(), json.to_string())));
            }
            None => {
                let id = pack_id(*number);
                stats.unreadable.push(id.clone());
                all.push((id, text.clone()));
            }
        }
    }
    all.extend(loose);
    (all.into_iter().collect(), stats)
}

/// The writes of a compaction of the stored items (`(id, raw)`, ids without the key prefix), in
/// the order to apply them, or `None` when fewer than `from` loose documents could be packed.
/// Each pack holds at most `size` documents. (The app streams them: [`compaction_runs`].)
pub fn compaction(items: &[(String, String)], from: usize, size: usize) -> Option<Vec<Write>> {
    let mut writes = Vec::new();
    let due = compaction_steps(items, from, size, |write, _| {
        writes.push(write);
        Ok::<(), ()>(())
    });
    due.ok()?.then_some(writes)
}

/// [`compaction`] one write at a time, each with the value the compaction read for it (a removed
/// loose item's or old pack's text; empty for a write that sets), so that no more than one pack
/// is in memory at once. Stops at the first `Err` of `step`. `Ok(false)`: nothing to compact.
fn compaction_steps<'a, E>(
    items: &'a [(String, String)],
    from: usize,
    size: usize,
    mut step: impl FnMut(Write, &'a str) -> Result<(), E>,
) -> Result<bool, E> {
    let size = size.max(1);
    let mut loose: Vec<(&str, &str)> = items
        .iter()
        .filter(|(id, json)| pack_number(id).is_none() && is_packable(id, json))
        .map(|(id, json)| (id.as_str(), json.as_str()))
        .collect();
    if loose.len() < from.max(1) {
        return Ok(false);
    }
    crate::domain::sorting::sort_by(&mut loose, |left, right| left.0.cmp(right.0));
    // Old packs by number; a pack holding a NUL (`js/local_store.js`'s joiner: no pack this app
    // writes does) is never rewritten or removed here.
    let mut old: Vec<(u64, &str, Option<Pairs>)> =
        items.iter().filter_map(|(id, text)| Some((pack_number(id)?, text.as_str(), read_pack(text)))).collect();
    crate::domain::sorting::sort_by_key(&mut old, |(number, _, _)| *number);
    let next = old.last().map_or(0, |(number, _, _)| number + 1);
    // 1. First the older packs mostly overridden (by a loose document or a later pack): rewritten
    //    with what they alone hold, or removed when that is nothing, which frees room before
    //    anything is added (every copy dropped is overridden by one still there). Unreadable
    //    packs stay.
    let newer: std::collections::HashSet<&str> = loose.iter().map(|(id, _)| *id).collect();
    let mut newest: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for (number, _, pairs) in &old {
        for (id, _) in pairs.iter().flatten() {
            newest.insert(id, *number);
        }
    }
    for (number, text, pairs) in &old {
        let Some(pairs) = pairs else { continue };
        if text.contains('\0') {
            continue;
        }
        let live: Vec<(&str, &str)> =
            pairs.iter().copied().filter(|(id, _)| !newer.contains(id) && newest.get(id) == Some(number)).collect();
        if live.len() * 2 > pairs.len() {
            continue;
        }
        let json = (!live.is_empty()).then(|| write_pack(live));
        step(Write { id: pack_id(*number), json }, text)?;
    }
    // 2. Then the loose documents into new packs, above every pack there is, each followed by the
    //    removal of its loose items (now in a pack that wins over every older one): a store
    //    over half the quota needs room for one pack more, not for a second copy of itself.
    let mut number = next;
    for chunk in loose.chunks(size) {
        step(Write { id: pack_id(number), json: Some(write_pack(chunk.iter().copied())) }, "")?;
        for (id, json) in chunk {
            step(Write { id: id.to_string(), json: None }, json)?;
        }
        number += 1;
    }
    // 3. Last, the mark: the highest pack number now, which no earlier compaction wrote.
    step(Write { id: PACKS_MARK_ID.to_string(), json: Some(format!("{{\"last\":{}}}", number - 1)) }, "")?;
    Ok(true)
}

/// What a compaction asks of `localStorage`, in order: each a run of one kind, for one call into
/// JavaScript (`js/local_store.js`). Keys carry the store's key prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Run {
    /// `key NUL value NUL …`: set each.
    Set(String),
    /// `key NUL value NUL …`: remove each key whose item still holds that value (a loose item
    /// written again since the compaction read it stays: it is newer than its packed copy).
    RemoveIfSame(String),
}

/// A run is handed on once it holds this many bytes (a pack, or a pack's loose items, is one
/// run), so that a compaction holds one pack's worth of runs at a time.
const RUN_BYTES: usize = 1 << 20;

/// [`compaction`] as runs of `localStorage` calls over keys with `prefix`, each handed to `run`
/// as soon as it is complete, in order; a removal names the value the compaction read (the loose
/// item's packed copy, or the old pack's text). Stops at the first `Err` of `run`. `Ok(false)`:
/// nothing to compact. No key or value holds a NUL (packable items and the packs rewritten hold
/// none).
pub fn compaction_runs<E>(
    items: &[(String, String)],
    prefix: &str,
    from: usize,
    size: usize,
    mut run: impl FnMut(Run) -> Result<(), E>,
) -> Result<bool, E> {
    let mut current: Option<Run> = None;
    let due = compaction_steps(items, from, size, |write, read| {
        let removal = write.json.is_none();
        let value = write.json.as_deref().unwrap_or(read);
        let continues = matches!(
            (&current, removal),
            (Some(Run::Set(joined)), false) | (Some(Run::RemoveIfSame(joined)), true) if joined.len() < RUN_BYTES
        );
        if !continues {
            if let Some(done) = current.take() {
                run(done)?;
            }
            current = Some(if removal { Run::RemoveIfSame(String::new()) } else { Run::Set(String::new()) });
        }
        if let Some(Run::Set(joined) | Run::RemoveIfSame(joined)) = &mut current {
            for part in [prefix, write.id.as_str(), "\0", value, "\0"] {
                joined.push_str(part);
            }
        }
        Ok(())
    })?;
    if let Some(done) = current {
        run(done)?;
    }
    Ok(due)
}

/// Native only: the property test uses proptest, a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn items(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(id, raw)| (id.to_string(), raw.to_string())).collect()
    }

    fn documents(stored: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let (mut documents, _) = expand(stored.iter().map(|(id, raw)| (id.clone(), raw.clone())).collect());
        documents.remove(PACKS_MARK_ID);
        documents
    }

    fn apply(stored: &mut BTreeMap<String, String>, write: &Write) {
        match &write.json {
            Some(json) => stored.insert(write.id.clone(), json.clone()),
            None => stored.remove(&write.id),
        };
    }

    #[test]
    fn a_loose_item_wins_over_every_pack_and_a_later_pack_over_an_earlier_one() {
        let stored = items(&[
            ("_pack/2", &write_pack([("span:a", "{\"v\":2}"), ("span:b", "{\"v\":2}")])),
            ("_pack/10", &write_pack([("span:b", "{\"v\":10}"), ("span:c", "{\"v\":10}")])),
            ("span:c", "{\"v\":\"loose\"}"),
            ("_local/manifest", "{}"),
        ]);
        let (documents, stats) = expand(stored);
        assert_eq!(
            documents.into_iter().collect::<Vec<_>>(),
            items(&[
                ("_local/manifest", "{}"),
                ("span:a", "{\"v\":2}"),
                ("span:b", "{\"v\":10}"),
                ("span:c", "{\"v\":\"loose\"}"),
            ])
        );
        assert_eq!(stats, PackStats { loose: 1, packs: 2, unreadable: vec![] });
    }

    #[test]
    fn a_pack_this_build_cannot_read_is_left_as_it_is_and_named() {
        let stored = items(&[("_pack/0", "crosscheck-pack-9\u{1}span:a\u{1}{}"), ("span:b", "{}")]);
        let (documents, stats) = expand(stored.clone());
        assert_eq!(documents.into_iter().collect::<Vec<_>>(), stored);
        assert_eq!(stats.unreadable, vec!["_pack/0".to_string()]);
        assert_eq!(read_pack("crosscheck-pack-1\u{1}span:a"), None, "an id without its document");
        assert_eq!(read_pack("crosscheck-pack-1\u{1}_local/x\u{1}{}"), None, "a local id");
    }

    #[test]
    fn local_documents_and_items_holding_the_separator_stay_loose() {
        let mut stored: Vec<(String, String)> = (0..5).map(|n| (format!("span:{n}"), "{}".to_string())).collect();
        stored.push(("_local/journal".to_string(), "{}".to_string()));
        stored.push(("span:odd".to_string(), "{\u{1}}".to_string()));
        let writes = compaction(&stored, 5, 2).unwrap();
        let written: Vec<&str> = writes.iter().map(|write| write.id.as_str()).collect();
        assert_eq!(
            written,
            ["_pack/0", "span:0", "span:1", "_pack/1", "span:2", "span:3", "_pack/2", "span:4", "_local/packs"]
        );
        assert_eq!(compaction(&stored, 6, 2), None, "five packable documents are fewer than six");
    }

    /// Regression: the large benchmark corpus (4.1 of the quota's 5.2 million units) stopped
    /// half-packed at the quota, because every pack was written before any loose item went.
    #[test]
    fn a_compaction_needs_room_for_one_pack_more_not_a_second_copy_of_the_store() {
        let size =
            |stored: &BTreeMap<String, String>| stored.iter().map(|(id, raw)| id.len() + raw.len()).sum::<usize>();
        let mut stored: BTreeMap<String, String> =
            (0..40).map(|n| (format!("span:{n:02}"), format!("{{\"v\":{n}}}"))).collect();
        // An old pack all of whose copies are overridden: it goes first, making room.
        stored.insert("_pack/0".into(), write_pack([("span:00", "old"), ("span:01", "old")]));
        let before = size(&stored);
        let writes = compaction(&stored.clone().into_iter().collect::<Vec<_>>(), 1, 10).unwrap();
        let largest_pack = writes.iter().filter_map(|write| write.json.as_ref()).map(String::len).max().unwrap_or(0);
        let mut peak = 0;
        for write in &writes {
            apply(&mut stored, write);
            peak = peak.max(size(&stored));
        }
        // Beyond the larger of the store before and after, at most one pack at a time.
        let after = size(&stored);
        assert!(
            peak <= before.max(after) + largest_pack,
            "peak {peak}: before {before}, after {after}, a pack {largest_pack}"
        );
        assert!(!stored.contains_key("_pack/0"), "the overridden pack is gone");
    }

    #[test]
    fn an_old_pack_mostly_overridden_is_rewritten_with_what_it_alone_holds() {
        let mut stored: BTreeMap<String, String> = BTreeMap::new();
        stored.insert("_pack/0".into(), write_pack([("span:a", "0"), ("span:b", "0"), ("span:c", "0")]));
        stored.insert("_pack/1".into(), write_pack([("span:x", "1")]));
        stored.insert("span:a".into(), "new".into());
        stored.insert("span:b".into(), "new".into());
        let before = documents(&stored);
        let writes = compaction(&stored.clone().into_iter().collect::<Vec<_>>(), 1, 10).unwrap();
        for write in &writes {
            apply(&mut stored, write);
        }
        assert_eq!(documents(&stored), before);
        assert_eq!(stored.get("_pack/0").map(String::as_str), Some(write_pack([("span:c", "0")]).as_str()));
        assert_eq!(stored.get("_pack/1").map(String::as_str), Some(write_pack([("span:x", "1")]).as_str()));
        assert!(!stored.contains_key("span:a"));
        assert_eq!(stored.get(PACKS_MARK_ID).map(String::as_str), Some("{\"last\":2}"));
    }

    #[test]
    fn a_compaction_runs_as_one_call_per_kind_of_write_and_removes_only_what_it_packed() {
        let stored = items(&[("span:a", "1"), ("span:b", "2"), ("_local/manifest", "{}")]);
        let mut runs = Vec::new();
        let due = compaction_runs(&stored, "cc2/", 2, 1, |run| {
            runs.push(run);
            Ok::<(), ()>(())
        });
        assert_eq!(due, Ok(true));
        let pack = |id: &str, json: &str| write_pack([(id, json)]);
        assert_eq!(
            runs,
            vec![
                Run::Set(format!("cc2/_pack/0\0{}\0", pack("span:a", "1"))),
                Run::RemoveIfSame("cc2/span:a\u{0}1\u{0}".to_string()),
                Run::Set(format!("cc2/_pack/1\0{}\0", pack("span:b", "2"))),
                Run::RemoveIfSame("cc2/span:b\u{0}2\u{0}".to_string()),
                Run::Set("cc2/_local/packs\0{\"last\":1}\0".to_string()),
            ]
        );
    }

    /// Regression: the compacting page held every pack and every removal at once (the large
    /// corpus's page peaked at 66 MB against 39 MB for its load alone).
    #[test]
    fn a_compaction_hands_on_one_pack_at_a_time_and_stops_at_the_first_refusal() {
        let stored: Vec<(String, String)> =
            (0..40).map(|n| (format!("span:{n:02}"), format!("{{\"v\":{n}}}"))).collect();
        let one_pack = write_pack(stored[..10].iter().map(|(id, json)| (id.as_str(), json.as_str()))).len();
        let mut sizes = Vec::new();
        let due = compaction_runs(&stored, "cc2/", 1, 10, |run| {
            let (Run::Set(joined) | Run::RemoveIfSame(joined)) = run;
            sizes.push(joined.len());
            Ok::<(), ()>(())
        });
        assert_eq!(due, Ok(true));
        assert_eq!(sizes.len(), 9, "four packs, four removals, the mark: {sizes:?}");
        assert!(sizes.iter().all(|size| *size <= one_pack + 40), "{sizes:?} against a pack of {one_pack}");
        let mut calls = 0;
        let refused = compaction_runs(&stored, "cc2/", 1, 10, |_| {
            calls += 1;
            if calls == 2 {
                Err("full")
            } else {
                Ok(())
            }
        });
        assert_eq!((refused, calls), (Err("full"), 2));
    }

    fn stored_items() -> impl Strategy<Value = BTreeMap<String, String>> {
        let document =
            (0..12u8, 0..4u8).prop_map(|(id, version)| (format!("span:{id}"), format!("{{\"v\":{version}}}")));
        let loose = proptest::collection::vec(document.clone(), 0..12);
        let pack = proptest::collection::vec(document, 0..6);
        let packs = proptest::collection::vec((0..6u64, pack), 0..4);
        (loose, packs).prop_map(|(loose, packs)| {
            let mut stored: BTreeMap<String, String> = loose.into_iter().collect();
            stored.insert("_local/manifest".into(), "{}".into());
            for (number, pack) in packs {
                let pack: BTreeMap<String, String> = pack.into_iter().collect();
                stored.insert(pack_id(number), write_pack(pack.iter().map(|(id, json)| (id.as_str(), json.as_str()))));
            }
            stored
        })
    }

    proptest! {
        /// A compaction can stop after any write: the store reads as the same documents.
        #[test]
        fn every_prefix_of_a_compaction_reads_as_the_same_documents(mut stored in stored_items(), size in 1..4usize) {
            let before = documents(&stored);
            let items: Vec<(String, String)> = stored.clone().into_iter().collect();
            let Some(writes) = compaction(&items, 1, size) else { return Ok(()) };
            for write in &writes {
                apply(&mut stored, write);
                prop_assert_eq!(documents(&stored), before.clone());
            }
            let (_, stats) = expand(stored.into_iter().collect());
            prop_assert_eq!(stats.loose, 0);
        }
    }
}
