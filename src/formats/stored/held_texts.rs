//! Article texts held in `localStorage` until IndexedDB has them, so that a new article's
//! documents are written in the task of the save that sees it.
//!
//! A text must be stored before the document that names it. IndexedDB writes are asynchronous:
//! a save that waited for one before writing the article's documents lost the whole import when
//! the page closed in between. A save now first writes the new texts here (`_local/text:<id>`
//! documents, one `setItem` each, in the same task as its documents), then starts the IndexedDB
//! write, and removes them once it has landed. A load takes from here any text IndexedDB lacks,
//! puts it there, and only then removes it. Texts too large for the quota (a big import) are not
//! held: their save waits for IndexedDB as before.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::domain::article::ArticleId;
use crate::formats::stored::journal::{Documents, Write};

/// The id prefix of a held text; the rest is the article id.
pub const HELD_TEXT_PREFIX: &str = "_local/text:";
/// The most text (in UTF-16 units, as the quota counts) held at once: a save of more waits for
/// IndexedDB instead of taking a tenth of the `localStorage` quota from the annotations.
pub const MAX_HELD_UNITS: usize = 512 * 1024;
/// A held text whose article no document names is removed once it is this old (a younger one
/// may belong to another tab's save whose documents are not written yet).
pub const ABANDONED_AFTER_MS: i64 = 60 * 60 * 1000;

/// A held text read back.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldText {
    pub article: ArticleId,
    pub text: Rc<str>,
    pub modified: i64,
}

fn id_of(article: &ArticleId) -> String {
    format!("{HELD_TEXT_PREFIX}{}", article.as_str())
}

/// The writes that hold `texts`, in article id order, or `None` when together they exceed
/// [`MAX_HELD_UNITS`].
pub fn hold(texts: &HashMap<ArticleId, Rc<str>>, now: i64) -> Option<Vec<Write>> {
    let units: usize = texts.values().map(|text| text.encode_utf16().count()).sum();
    if units > MAX_HELD_UNITS {
        return None;
    }
    let mut sorted: Vec<(&ArticleId, &Rc<str>)> = texts.iter().collect();
    crate::domain::sorting::sort_by(&mut sorted, |a, b| a.0.cmp(b.0));
    let writes = sorted
        .into_iter()
        .map(|(article, text)| {
            // The shape of the other documents (`m` modified, `d` the item) through
            // `serde_json::Value`, which the first load has already: no serde code of its own.
            let doc = serde_json::json!({ "m": now, "d": { "t": &**text } });
            Write { id: id_of(article), json: Some(doc.to_string()) }
        })
        .collect();
    Some(writes)
}

/// The writes that remove the held texts of `articles`.
pub fn release<'a>(articles: impl IntoIterator<Item = &'a ArticleId>) -> Vec<Write> {
    articles.into_iter().map(|article| Write { id: id_of(article), json: None }).collect()
}

/// Takes the held texts out of `documents` (they are not items). One that does not parse is
/// left in place and out of the result: nothing removes it.
pub fn take(documents: &mut Documents) -> Vec<HeldText> {
    let ids: Vec<String> =
        crate::formats::stored::prefixed(documents, HELD_TEXT_PREFIX).map(|(id, _)| id.clone()).collect();
    let mut held = Vec::new();
    for id in ids {
        let parsed = documents.get(&id).and_then(|raw| serde_json::from_str::<serde_json::Value>(raw).ok());
        let read = parsed.as_ref().and_then(|doc| Some((doc.get("d")?.get("t")?.as_str()?, doc.get("m")?.as_i64()?)));
        let Some((text, modified)) = read else { continue };
        let held_text =
            HeldText { article: ArticleId::from(&id[HELD_TEXT_PREFIX.len()..]), text: Rc::from(text), modified };
        documents.remove(&id);
        held.push(held_text);
    }
    held
}

/// What a load does with the held texts, once it knows which texts IndexedDB gave.
#[derive(Debug, Default, PartialEq)]
pub struct Recovery {
    /// Texts the load took from here (IndexedDB lacked them): put into IndexedDB, then released.
    pub to_store: HashMap<ArticleId, Rc<str>>,
    /// Held texts that can go now: IndexedDB has them, or nothing names them and they are old.
    pub release_now: Vec<ArticleId>,
}

/// Fills `texts` (what IndexedDB gave for `needed`) from `held`, and says what to do with each
/// held text.
pub fn recover(
    held: &[HeldText],
    needed: &HashSet<ArticleId>,
    texts: &mut HashMap<ArticleId, Rc<str>>,
    now: i64,
) -> Recovery {
    let mut recovery = Recovery::default();
    for item in held {
        if !needed.contains(&item.article) {
            if now - item.modified >= ABANDONED_AFTER_MS {
                recovery.release_now.push(item.article.clone());
            }
        } else if texts.contains_key(&item.article) {
            recovery.release_now.push(item.article.clone());
        } else {
            texts.insert(item.article.clone(), item.text.clone());
            recovery.to_store.insert(item.article.clone(), item.text.clone());
        }
    }
    recovery
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::stored::journal::{commit, read_documents, KeyValue, MemoryStore};
    use crate::formats::stored::key_for;

    fn texts(items: &[(&str, &str)]) -> HashMap<ArticleId, Rc<str>> {
        items.iter().map(|(id, text)| (ArticleId::from(*id), Rc::from(*text))).collect()
    }

    #[test]
    fn held_texts_read_back_and_leave_the_documents() {
        let mut store = MemoryStore::default();
        let writes = hold(&texts(&[("a1", "Gaza 🇵🇸 \"quoted\"\nline"), ("a2", "two")]), 7).unwrap();
        commit(&mut store, &writes).unwrap();
        store.set(&key_for("span:s1"), "{}").unwrap();
        let (mut documents, _) = read_documents(&store).unwrap();
        let mut held = take(&mut documents);
        held.sort_by(|a, b| a.article.cmp(&b.article));
        assert_eq!(documents.keys().collect::<Vec<_>>(), ["span:s1"]);
        assert_eq!(held.len(), 2);
        assert_eq!((held[0].article.as_str(), &*held[0].text, held[0].modified), ("a1", "Gaza 🇵🇸 \"quoted\"\nline", 7));
        commit(&mut store, &release(held.iter().map(|item| &item.article))).unwrap();
        assert_eq!(read_documents(&store).unwrap().0.len(), 1);
    }

    #[test]
    fn a_held_text_that_does_not_parse_stays() {
        let mut documents = Documents::new();
        documents.insert(format!("{HELD_TEXT_PREFIX}a1"), "not json".to_string());
        assert!(take(&mut documents).is_empty());
        assert_eq!(documents.len(), 1);
    }

    #[test]
    fn too_much_text_is_not_held() {
        let big = "x".repeat(MAX_HELD_UNITS / 2 + 1);
        assert!(hold(&texts(&[("a1", &big)]), 0).is_some());
        assert!(hold(&texts(&[("a1", &big), ("a2", &big)]), 0).is_none());
    }

    #[test]
    fn a_load_takes_what_indexeddb_lacks_and_releases_the_rest() {
        let held =
            |article: &str, modified: i64| HeldText { article: article.into(), text: Rc::from("held"), modified };
        let held =
            [held("missing", 0), held("in-idb", 0), held("unnamed-old", 0), held("unnamed-new", ABANDONED_AFTER_MS)];
        let needed: HashSet<ArticleId> = ["missing", "in-idb"].into_iter().map(ArticleId::from).collect();
        let mut found = texts(&[("in-idb", "from idb")]);
        let recovery = recover(&held, &needed, &mut found, ABANDONED_AFTER_MS + 1);
        assert_eq!(found, texts(&[("in-idb", "from idb"), ("missing", "held")]));
        assert_eq!(recovery.to_store, texts(&[("missing", "held")]));
        assert_eq!(recovery.release_now, [ArticleId::from("in-idb"), ArticleId::from("unnamed-old")]);
    }
}
