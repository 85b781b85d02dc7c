//! Article texts in IndexedDB: one object store `texts`, keyed by article id (the SHA-256 of the
//! text, so a text never changes under its key), plus `backups` for the version-1 document while
//! it is migrated. Also asks for persistent storage and reads the usage estimate.

use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

use crate::domain::article::ArticleId;

const DATABASE: &str = crate::formats::stored::TEXT_DATABASE;
const VERSION: u32 = 2;
pub const TEXTS: &str = crate::formats::stored::TEXT_STORE;
pub const BACKUPS: &str = "backups";
/// Team sync's replica and checkpoints (`web::sync`), from version 2.
pub const SYNC: &str = "sync";

fn describe(error: &JsValue) -> String {
    if let Some(exception) = error.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    error.as_string().unwrap_or_else(|| "IndexedDB failed".to_string())
}

/// A future for a request (or a transaction, with `complete`) finishing. The listeners are
/// attached now, not when the future is first polled: several requests of one transaction can
/// finish while the first is awaited, and an event that fired before its listener is lost.
fn finished(target: &web_sys::EventTarget, success: &str) -> impl std::future::Future<Output = Result<(), String>> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let on_error = Closure::once_into_js(move |event: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &event);
        });
        let _ = target.add_event_listener_with_callback(success, on_success.unchecked_ref());
        let _ = target.add_event_listener_with_callback("error", on_error.unchecked_ref());
        let _ = target.add_event_listener_with_callback("abort", on_error.unchecked_ref());
    });
    let future = JsFuture::from(promise);
    async move {
        future.await.map(|_| ()).map_err(|event| {
            let error = event
                .dyn_ref::<web_sys::Event>()
                .and_then(|event| event.target())
                .and_then(|target| target.dyn_into::<IdbRequest>().ok())
                .and_then(|request| request.error().ok().flatten());
            error.map_or_else(|| "IndexedDB refused the request".to_string(), |error| describe(&error))
        })
    }
}

/// Opens the database, creating its stores on first use. The request is made now, not when the
/// future is first polled, so a caller can start it and do other work while the browser opens
/// the database (start-up reads `localStorage` meanwhile).
pub fn open() -> impl std::future::Future<Output = Result<IdbDatabase, String>> {
    let started = start_open();
    async move {
        let (request, upgrade, opened) = started?;
        let outcome = opened.await;
        request.set_onupgradeneeded(None);
        drop(upgrade);
        outcome?;
        request
            .result()
            .map_err(|error| describe(&error))?
            .dyn_into::<IdbDatabase>()
            .map_err(|_| "not a database".to_string())
    }
}

type Opening = (
    web_sys::IdbOpenDbRequest,
    Closure<dyn FnMut(web_sys::Event)>,
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>>>>,
);

fn start_open() -> Result<Opening, String> {
    let window = web_sys::window().ok_or("no window")?;
    let factory = window
        .indexed_db()
        .map_err(|error| describe(&error))?
        .ok_or_else(|| "IndexedDB is not available in this browser".to_string())?;
    let request = factory.open_with_u32(DATABASE, VERSION).map_err(|error| describe(&error))?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let Some(request) = event.target().and_then(|target| target.dyn_into::<IdbRequest>().ok()) else { return };
        let Ok(database) = request.result().and_then(|result| result.dyn_into::<IdbDatabase>()) else {
            return;
        };
        for store in [TEXTS, BACKUPS, SYNC] {
            if !database.object_store_names().contains(store) {
                let _ = database.create_object_store(store);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = Box::pin(finished(&request, "success"));
    Ok((request, upgrade, opened))
}

/// Writes `(key, value)` pairs into `store` in one transaction.
pub async fn put_all(store: &str, items: &[(String, Rc<str>)]) -> Result<(), String> {
    let items: Vec<(&str, String, Rc<str>)> =
        items.iter().map(|(key, value)| (store, key.clone(), value.clone())).collect();
    put_in_stores(&items).await
}

/// Writes `(store, key, value)` items in one transaction over every store they name (a
/// migration's texts and its backup: one database open and one commit, not two).
pub async fn put_in_stores(items: &[(&str, String, Rc<str>)]) -> Result<(), String> {
    let database = open().await?;
    let names = js_sys::Array::new();
    for (store, _, _) in items {
        let name = JsValue::from_str(store);
        if !names.includes(&name, 0) {
            names.push(&name);
        }
    }
    let transaction = database
        .transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)
        .map_err(|error| describe(&error))?;
    for (store, key, value) in items {
        let objects = transaction.object_store(store).map_err(|error| describe(&error))?;
        objects.put_with_key(&JsValue::from_str(value), &JsValue::from_str(key)).map_err(|error| describe(&error))?;
    }
    let outcome = finished(&transaction, "complete").await;
    database.close();
    outcome
}

/// Reads the values of `keys` from `store`; missing keys are left out.
pub async fn get_all(store: &str, keys: &[String]) -> Result<HashMap<String, Rc<str>>, String> {
    get_all_from(open().await?, store, keys).await
}

/// [`get_all`] from a database already open (closed afterwards).
pub async fn get_all_from(
    database: IdbDatabase,
    store: &str,
    keys: &[String],
) -> Result<HashMap<String, Rc<str>>, String> {
    let transaction = database.transaction_with_str(store).map_err(|error| describe(&error))?;
    let objects = transaction.object_store(store).map_err(|error| describe(&error))?;
    let mut requests = Vec::with_capacity(keys.len());
    for key in keys {
        let request = objects.get(&JsValue::from_str(key)).map_err(|error| describe(&error))?;
        let done = finished(&request, "success");
        requests.push((key, request, done));
    }
    let mut values = HashMap::with_capacity(keys.len());
    for (key, request, done) in requests {
        done.await?;
        if let Some(value) = request.result().ok().and_then(|value| value.as_string()) {
            values.insert(key.clone(), Rc::from(value));
        }
    }
    database.close();
    Ok(values)
}

/// The keys from `prefix` to every key that starts with it.
fn prefix_range(prefix: &str) -> Result<web_sys::IdbKeyRange, String> {
    web_sys::IdbKeyRange::bound(&JsValue::from_str(prefix), &JsValue::from_str(&format!("{prefix}\u{ffff}")))
        .map_err(|error| describe(&error))
}

/// Every `(key, value)` of `store` whose key starts with `prefix`, in key order.
pub async fn get_prefixed(store: &str, prefix: &str) -> Result<Vec<(String, String)>, String> {
    let database = open().await?;
    let transaction = database.transaction_with_str(store).map_err(|error| describe(&error))?;
    let objects = transaction.object_store(store).map_err(|error| describe(&error))?;
    let range = prefix_range(prefix)?;
    let keys = objects.get_all_keys_with_key(&range).map_err(|error| describe(&error))?;
    let keys_done = finished(&keys, "success");
    let values = objects.get_all_with_key(&range).map_err(|error| describe(&error))?;
    let values_done = finished(&values, "success");
    keys_done.await?;
    values_done.await?;
    database.close();
    let as_array =
        |request: &IdbRequest| request.result().ok().map(|result| js_sys::Array::from(&result)).unwrap_or_default();
    let (keys, values) = (as_array(&keys), as_array(&values));
    Ok(keys.iter().zip(values.iter()).filter_map(|(key, value)| Some((key.as_string()?, value.as_string()?))).collect())
}

/// Writes `(key, value)` pairs into `store` of `database` (then closed) in one transaction,
/// first removing every key that starts with `clear_prefix` when given. The transaction is made
/// before this returns its future, so writes made in turn commit in turn.
pub fn write_in(
    database: IdbDatabase,
    store: &str,
    clear_prefix: Option<&str>,
    items: &[(String, String)],
) -> impl std::future::Future<Output = Result<(), String>> {
    let done = put_in(&database, store, clear_prefix, items);
    async move {
        let outcome = done.await;
        database.close();
        outcome
    }
}

/// One readwrite transaction on `store` of `database` (left open): the keys under
/// `clear_prefix` deleted, then `items` put; resolves when it completes. A put refused at once
/// aborts the transaction.
fn put_in<Key: AsRef<str>, Value: AsRef<str>>(
    database: &IdbDatabase,
    store: &str,
    clear_prefix: Option<&str>,
    items: &[(Key, Value)],
) -> impl std::future::Future<Output = Result<(), String>> + use<Key, Value> {
    let started = (|| {
        let transaction = database
            .transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)
            .map_err(|error| describe(&error))?;
        let put = transaction.object_store(store).map_err(|error| describe(&error)).and_then(|objects| {
            if let Some(prefix) = clear_prefix {
                objects.delete(prefix_range(prefix)?.as_ref()).map_err(|error| describe(&error))?;
            }
            items.iter().try_for_each(|(key, value)| {
                objects
                    .put_with_key(&JsValue::from_str(value.as_ref()), &JsValue::from_str(key.as_ref()))
                    .map(|_| ())
                    .map_err(|error| describe(&error))
            })
        });
        if let Err(error) = put {
            let _ = transaction.abort();
            return Err(error);
        }
        Ok::<_, String>(finished(&transaction, "complete"))
    })();
    async move {
        match started {
            Ok(done) => done.await,
            Err(error) => Err(error),
        }
    }
}

/// Removes `key` from `store`.
pub async fn delete(store: &str, key: &str) -> Result<(), String> {
    let database = open().await?;
    let transaction = database
        .transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)
        .map_err(|error| describe(&error))?;
    let objects = transaction.object_store(store).map_err(|error| describe(&error))?;
    objects.delete(&JsValue::from_str(key)).map_err(|error| describe(&error))?;
    let outcome = finished(&transaction, "complete").await;
    database.close();
    outcome
}

/// Bytes of text per transaction of [`put_texts`]: the 200 texts of a large team pull put in
/// one transaction held the main thread for about 50 ms (each text copied into a JS string and
/// cloned for the store in the one task).
const TEXTS_PER_TRANSACTION: usize = 64 * 1024;

/// Stores article texts, in transactions of at most [`TEXTS_PER_TRANSACTION`] bytes (a longer
/// text alone), each begun after the last completed: each its own task. A failure stops at once;
/// the texts of transactions that completed are stored (the same key always holds the same text,
/// so writing them again is harmless).
pub async fn put_texts(texts: &HashMap<ArticleId, Rc<str>>) -> Result<(), String> {
    let mut groups: Vec<Vec<(&str, &str)>> = Vec::new();
    let mut size = 0;
    for (id, text) in texts {
        if groups.is_empty() || (size + text.len() > TEXTS_PER_TRANSACTION && size > 0) {
            groups.push(Vec::new());
            size = 0;
        }
        size += text.len();
        if let Some(group) = groups.last_mut() {
            group.push((id.as_str(), text));
        }
    }
    let database = open().await?;
    let mut outcome = Ok(());
    for group in groups {
        let started = crate::web::user_timing::now();
        let done = put_in(&database, TEXTS, None, &group);
        crate::web::user_timing::record(&[("crosscheck:texts-put", started, crate::web::user_timing::now())]);
        outcome = done.await;
        if outcome.is_err() {
            break;
        }
    }
    database.close();
    outcome
}

/// Reads article texts by id.
pub async fn get_texts(ids: &[ArticleId]) -> Result<HashMap<ArticleId, Rc<str>>, String> {
    get_texts_from(open().await?, ids).await
}

/// [`get_texts`] from a database already open (closed afterwards).
pub async fn get_texts_from(database: IdbDatabase, ids: &[ArticleId]) -> Result<HashMap<ArticleId, Rc<str>>, String> {
    let keys: Vec<String> = ids.iter().map(|id| id.as_str().to_string()).collect();
    let texts = get_all_from(database, TEXTS, &keys).await?;
    Ok(texts.into_iter().map(|(key, text)| (ArticleId::from(key), text)).collect())
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    Some(web_sys::window()?.navigator().storage())
}

/// Asks the browser not to evict this origin's storage under pressure (`navigator.storage.persist()`).
pub async fn request_persistence() -> bool {
    let Some(promise) = storage_manager().and_then(|manager| manager.persist().ok()) else { return false };
    JsFuture::from(promise).await.ok().and_then(|granted| granted.as_bool()).unwrap_or(false)
}

/// `navigator.storage.estimate()`: bytes used and available to this origin (all stores).
pub async fn estimate() -> Option<(f64, f64)> {
    let promise = storage_manager()?.estimate().ok()?;
    let estimate = JsFuture::from(promise).await.ok()?;
    let read = |name: &str| js_sys::Reflect::get(&estimate, &JsValue::from_str(name)).ok()?.as_f64();
    Some((read("usage")?, read("quota")?))
}
