//! The only module that touches `localStorage`.
//!
//! The project lives under one versioned key as the JSON document of `formats::project_json`.
//! Reading never destroys anything: a document that does not parse, or that a newer build
//! wrote, is copied to a backup key and reported, and the main key is left alone until the user
//! decides. Writing reports a full quota as [`SaveError::QuotaExceeded`] so the UI can say so and
//! keep the project in memory.

use wasm_bindgen::JsCast;

use crate::domain::history::History;
use crate::domain::project::Project;
use crate::domain::state::UiPosition;
use crate::formats::project_json;

/// The key of the project document. The suffix is the storage layout version; the document's
/// own `schema_version` versions its contents.
pub const PROJECT_KEY: &str = "crosscheck.project.v1";
/// Prefix of backup copies of documents that could not be loaded.
pub const BACKUP_PREFIX: &str = "crosscheck.backup.";
/// Browsers give an origin about 5 MiB of `localStorage` (counted in UTF-16 code units).
pub const QUOTA_BYTES: usize = 5 * 1024 * 1024;

pub enum LoadOutcome {
    /// Nothing stored yet: start from the default corpus.
    Empty,
    Loaded {
        project: Project,
        position: UiPosition,
        history: History,
    },
    /// The stored text could not be used; it is kept under `backup_key`.
    Unreadable {
        error: String,
        backup_key: Option<String>,
        raw: String,
    },
    /// `localStorage` itself is not available (private mode, disabled, sandboxed).
    Unavailable(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    QuotaExceeded,
    Unavailable(String),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::QuotaExceeded => formatter.write_str("browser storage is full"),
            SaveError::Unavailable(why) => write!(formatter, "browser storage is unavailable: {why}"),
        }
    }
}

pub fn local_storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("localStorage is disabled".to_string()),
        Err(error) => Err(format!("localStorage is blocked ({})", describe_js_error(&error))),
    }
}

fn describe_js_error(error: &wasm_bindgen::JsValue) -> String {
    if let Some(exception) = error.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

fn is_quota_error(error: &wasm_bindgen::JsValue) -> bool {
    error.dyn_ref::<web_sys::DomException>().is_some_and(|exception| {
        exception.name() == "QuotaExceededError"
            || exception.name() == "NS_ERROR_DOM_QUOTA_REACHED"
            || exception.code() == 22
    })
}

/// Reads the stored project, keeping a backup of anything it cannot load.
pub fn load(now: i64) -> LoadOutcome {
    let storage = match local_storage() {
        Ok(storage) => storage,
        Err(why) => return LoadOutcome::Unavailable(why),
    };
    let raw = match storage.get_item(PROJECT_KEY) {
        Ok(Some(raw)) => raw,
        Ok(None) => return LoadOutcome::Empty,
        Err(error) => return LoadOutcome::Unavailable(describe_js_error(&error)),
    };
    match project_json::from_stored_json(&raw) {
        Ok((project, position, history)) => LoadOutcome::Loaded { project, position, history },
        Err(error) => {
            let backup_key = write_backup(&storage, &raw, now);
            LoadOutcome::Unreadable { error: error.to_string(), backup_key, raw }
        }
    }
}

/// Copies `raw` under a fresh backup key unless an identical backup exists. Returns the key.
fn write_backup(storage: &web_sys::Storage, raw: &str, now: i64) -> Option<String> {
    for key in backup_keys() {
        if storage.get_item(&key).ok().flatten().as_deref() == Some(raw) {
            return Some(key);
        }
    }
    let key = format!("{BACKUP_PREFIX}{now}");
    storage.set_item(&key, raw).ok().map(|()| key)
}

/// Keys of every stored backup, oldest first.
pub fn backup_keys() -> Vec<String> {
    let Ok(storage) = local_storage() else { return Vec::new() };
    let length = storage.length().unwrap_or(0);
    let mut keys: Vec<String> = (0..length)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(BACKUP_PREFIX))
        .collect();
    keys.sort();
    keys
}

/// Writes the project document.
pub fn save(json: &str) -> Result<(), SaveError> {
    let storage = local_storage().map_err(SaveError::Unavailable)?;
    storage.set_item(PROJECT_KEY, json).map_err(|error| {
        if is_quota_error(&error) {
            SaveError::QuotaExceeded
        } else {
            SaveError::Unavailable(describe_js_error(&error))
        }
    })
}

/// The raw stored project text, for "download your data" when the app cannot go on.
pub fn raw_project() -> Option<String> {
    local_storage().ok()?.get_item(PROJECT_KEY).ok().flatten()
}

/// Bytes this origin uses in `localStorage`, counted as browsers do: UTF-16, keys and values.
pub fn used_bytes() -> usize {
    let Ok(storage) = local_storage() else { return 0 };
    let length = storage.length().unwrap_or(0);
    (0..length)
        .filter_map(|index| storage.key(index).ok().flatten())
        .map(|key| {
            let value = storage.get_item(&key).ok().flatten().unwrap_or_default();
            (key.encode_utf16().count() + value.encode_utf16().count()) * 2
        })
        .sum()
}
