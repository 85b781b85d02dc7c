//! What the header says about team sync (`sync-status`), and HTTP failures in plain words.
//!
//! The text always starts with `Synced`, `Syncing`, `Offline` or `Error` (the e2e tests and
//! screen readers rely on it).

/// The state of the team connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    Synced,
    /// `done` of `total` changes (total unknown until the server says).
    Syncing {
        done: u64,
        total: Option<u64>,
    },
    /// The server cannot be reached; `waiting` local edits will be sent when it can.
    Offline {
        waiting: usize,
    },
    Error(String),
}

impl SyncStatus {
    pub fn text(&self) -> String {
        match self {
            SyncStatus::Synced => "Synced".to_string(),
            SyncStatus::Syncing { done, total: Some(total) } => format!("Syncing {done} of {}", total.max(done)),
            SyncStatus::Syncing { done, total: None } => format!("Syncing {done}"),
            SyncStatus::Offline { waiting: 0 } => "Offline".to_string(),
            SyncStatus::Offline { waiting: 1 } => "Offline — 1 edit waiting".to_string(),
            SyncStatus::Offline { waiting } => format!("Offline — {waiting} edits waiting"),
            SyncStatus::Error(reason) => format!("Error: {reason}"),
        }
    }
}

/// The request a failure happened on, which changes what a status code means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `GET {db}/` or `POST /_session`: connecting.
    Database,
    /// `_changes`, `_revs_diff`, `_bulk_get`, `_bulk_docs`, `_local`.
    Replication,
}

/// A failed HTTP exchange (`status` 0: no answer at all — offline, refused, CORS) as the
/// status the person sees.
pub fn failure(status: u16, endpoint: Endpoint, server_reason: &str) -> SyncStatus {
    let reason = match (status, endpoint) {
        (0 | 502 | 503 | 504, _) => return SyncStatus::Offline { waiting: 0 },
        (401, _) => "wrong user name or password".to_string(),
        (403, _) => "you are not a member of this project".to_string(),
        (404, Endpoint::Database) => "no such project database on this server".to_string(),
        (404 | 405 | 501, Endpoint::Replication) => {
            "the server is too old (it needs CouchDB 2 or later, or pouchdb-server)".to_string()
        }
        (413, _) => "a document is larger than the server accepts".to_string(),
        (500..=599, _) => format!("the server failed ({status}); it will be retried"),
        _ if server_reason.is_empty() => format!("the server answered {status}"),
        _ => format!("the server answered {status}: {}", server_reason.chars().take(200).collect::<String>()),
    };
    SyncStatus::Error(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_starts_with_one_of_the_four_words() {
        let cases = [
            (SyncStatus::Synced, "Synced"),
            (SyncStatus::Syncing { done: 120, total: Some(800) }, "Syncing 120 of 800"),
            (SyncStatus::Offline { waiting: 3 }, "Offline — 3 edits waiting"),
            (SyncStatus::Offline { waiting: 1 }, "Offline — 1 edit waiting"),
            (failure(401, Endpoint::Database, ""), "Error: wrong user name or password"),
            (failure(403, Endpoint::Replication, "forbidden"), "Error: you are not a member of this project"),
            (
                failure(404, Endpoint::Replication, ""),
                "Error: the server is too old (it needs CouchDB 2 or later, or pouchdb-server)",
            ),
            (failure(0, Endpoint::Database, ""), "Offline"),
        ];
        for (status, text) in cases {
            assert_eq!(status.text(), text);
        }
    }
}
