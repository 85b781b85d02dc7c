//! The CouchDB replication protocol as pure functions and state machines, for team projects.
//!
//! Nothing here does I/O: a transport (the browser's `fetch`, next to `web::storage`) sends the
//! requests these types describe, hands back the JSON it received, and stores what they say to
//! store. So every protocol rule is tested natively, and the same core would drive any
//! transport.
//!
//! - [`revision`]: `N-hash` revisions and `_revisions` histories;
//! - [`tree`]: a document's revision tree, its leaves, stemming and CouchDB's winner;
//! - [`replica`]: the local replicated documents (trees, leaf bodies, a local update sequence);
//! - [`replica_store`]: the replica as stored, one entry per document, written as it changes;
//! - [`mapping`]: which stored v2 documents are shared and which stay in this browser;
//! - [`validate`]: every incoming document checked into the stored types, or skipped with a reason;
//! - [`wire`]: the JSON of `_changes`, `_revs_diff`, `_bulk_get` and `_bulk_docs`;
//! - [`checkpoint`]: replication ids and the `_local` checkpoint documents;
//! - [`pull`] and [`push`]: one replication direction each, batch by batch;
//! - [`conflict`]: the conflict view and its resolutions;
//! - [`status`]: what the header says, and HTTP failures in plain words.

pub mod checkpoint;
pub mod conflict;
pub mod mapping;
pub mod pull;
pub mod push;
pub mod replica;
pub mod replica_store;
pub mod revision;
pub mod status;
pub mod tree;
pub mod validate;
pub mod wire;
