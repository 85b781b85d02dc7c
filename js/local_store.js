// Bulk access to localStorage for `web::storage`: one call from wasm instead of one per key and
// per value (each crossing copies and re-encodes a string; 12,000 documents took ~24,000); and
// the User Timing measures of the autosave (`web::user_timing`).

// The version-2 store read while the page's WebAssembly downloads and compiles (this module is
// evaluated before the app starts): the app's first read of it takes this copy, once, instead of
// reading again (~50-100 ms of a reload, with Chromium's first load of the origin's items). A
// write in this page before that read (tests write, then load) drops the copy: until the copy is
// taken or dropped, Storage's setItem, removeItem and clear drop it first.
//
// Another tab's writes reach this page as `storage` events, which the app only hears once it has
// started: those between the read the app starts from (this early copy, or its own read) and the
// app's listener would be missed, and the app would show, and later save over, an older version
// of those documents. So the events of store keys are recorded from here on, and the app takes
// the ones after its read (`take_storage_events`) when it starts listening.
const STORE_PREFIX = 'cc2/';
// Written last by a compaction (formats::stored::packs): a copy read before it is read again.
const PACKS_MARK = 'cc2/_local/packs';
let early = null;
let writers = [];
// Other tabs' changes to store keys, [key, newValue or null], in order, until the app takes them.
let heard = [];
// How many of `heard` the copy the app started from already holds (null: the app has not read).
let heardAtRead = null;
let listening = false;
function onStorage(event) {
  if (event.storageArea !== window.localStorage) return;
  if (event.key !== null && event.key.startsWith(STORE_PREFIX)) heard.push([event.key, event.newValue]);
}
function dropEarly() {
  if (early === null) return;
  early = null;
  for (const [name, original] of writers) Storage.prototype[name] = original;
}
try {
  if (typeof window !== 'undefined' && typeof Storage !== 'undefined' && window.localStorage) {
    window.addEventListener('storage', onStorage);
    listening = true;
    const mark = window.localStorage.getItem(PACKS_MARK); // before the read: a compaction ending in it changes the mark
    early = { mark, value: readPrefixed(STORE_PREFIX) };
    writers = ['setItem', 'removeItem', 'clear'].map((name) => [name, Storage.prototype[name]]);
    for (const [name, original] of writers) {
      Storage.prototype[name] = function (...args) {
        dropEarly();
        return original.apply(this, args);
      };
    }
  }
} catch {
  dropEarly(); // read again (and reported) when the app asks
}

// Every item whose key starts with `prefix`, as one string: key NUL value NUL key NUL value…
// (JSON text and the store's ids never hold a raw NUL). Returns null when a key or value does
// hold one, so the caller reads item by item instead. Throws what localStorage throws.
export function read_prefixed(prefix) {
  let copy = prefix === STORE_PREFIX ? early : null;
  // Another tab compacted the store since: the copy may hold half of it.
  if (copy !== null && window.localStorage.getItem(PACKS_MARK) !== copy.mark) copy = null;
  dropEarly();
  // The early copy holds none of what was heard (it was read before any); a read now, all of it.
  if (prefix === STORE_PREFIX && heardAtRead === null) heardAtRead = copy !== null ? 0 : heard.length;
  return copy !== null ? copy.value : readPrefixed(prefix);
}

// js/early_texts.js's promise of { texts: Map(article id → text), checked: [ids whose text matched
// its SHA-256 id] } (null if it failed), once; else null.
export function take_early_texts() {
  const texts = typeof window !== 'undefined' ? window.crosscheckEarlyTexts : undefined;
  if (!texts) return null;
  window.crosscheckEarlyTexts = undefined;
  return texts.catch(() => null);
}

// The other tabs' writes to store keys since the store was first read, as key NUL value NUL …
// (JSON text and the store's keys never hold a raw NUL), and stops recording: the caller listens
// from now on. Removals and clears are left out, as the app's own listener leaves them out (a
// deletion is a tombstone document, which is a write). Empty if nothing was heard.
export function take_storage_events() {
  const since = heardAtRead ?? heard.length;
  const events = heard.slice(since);
  if (listening) window.removeEventListener('storage', onStorage);
  listening = false;
  heard = [];
  const parts = [];
  for (const [key, value] of events) {
    if (key === null || value === null || key.includes('\0') || value.includes('\0')) continue;
    parts.push(key, value);
  }
  return parts.join('\0');
}

// Every key of `storage`. Reflect.ownKeys, not key(index) in a loop: Firefox finds key(index)
// by walking its table from the start, so that loop over 12,000 items took ~210 ms there against
// ~12 ms. Not Object.keys either: it reads every value once more (to ask whether the property is
// enumerable), ~6 ms more than the loop in a new Chromium tab; Reflect.ownKeys costs the same as
// the loop there. Both leave out a key named like one of Storage's own properties (`length`…):
// then the loop, which lists every key.
function allKeys(storage) {
  const keys = Reflect.ownKeys(storage);
  if (keys.length === storage.length && keys.every((key) => typeof key === 'string')) return keys;
  const every = [];
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (key !== null) every.push(key);
  }
  return every;
}

// Every key of localStorage (see allKeys). Throws what localStorage throws.
export function storage_keys() {
  return allKeys(window.localStorage);
}

function readPrefixed(prefix) {
  const storage = window.localStorage;
  const parts = [];
  for (const key of allKeys(storage)) {
    if (!key.startsWith(prefix)) continue;
    const value = storage.getItem(key);
    if (value === null) continue;
    if (key.includes('\0') || value.includes('\0')) return null;
    parts.push(key, value);
  }
  return parts.join('\0');
}

// The store's Web Lock (ARCHITECTURE.md, web::storage): held shared by every tab from its store
// read on; exclusive (asked here, if no tab holds it) until share_store_lock, for a compaction.
// After 5 s it is shared anyway: a page that crashed must not keep other tabs from starting.
const STORE_LOCK = 'crosscheck-store';
let releaseExclusive = null;
let lockMode = 'none';
let storeLock = null;
function holdShared(locks, granted) {
  return locks.request(STORE_LOCK, { mode: 'shared' }, () => {
    granted();
    return new Promise(() => {});
  });
}
function askStoreLock() {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return Promise.resolve();
  return new Promise((resolve) => {
    const shared = () => {
      lockMode = 'shared';
      resolve();
    };
    locks
      .request(STORE_LOCK, { mode: 'exclusive', ifAvailable: true }, (lock) => {
        if (lock === null) {
          holdShared(locks, shared).catch(() => resolve());
          return undefined;
        }
        lockMode = 'exclusive';
        resolve();
        setTimeout(share_store_lock, 5000);
        return new Promise((release) => (releaseExclusive = release));
      })
      .catch(() => resolve());
  });
}
try {
  storeLock = askStoreLock();
} catch {
  storeLock = Promise.resolve();
}
// A promise of 'exclusive', 'shared' or 'none' (no Web Locks: nothing is compacted).
export function store_lock() {
  return storeLock.then(() => lockMode);
}
export function holds_exclusive_store_lock() {
  return releaseExclusive !== null;
}
// Shares the lock: the shared request queues behind this page's exclusive hold, so no other tab
// can take it exclusive in between.
export function share_store_lock() {
  if (releaseExclusive === null) return;
  holdShared(navigator.locks, () => {}).catch(() => {});
  const release = releaseExclusive;
  releaseExclusive = null;
  lockMode = 'shared';
  release();
}

// Removes each key of `joined` (key NUL value NUL …) whose item still holds that value: a
// compaction's packed items, in one call (one written again since is newer, and stays).
export function remove_if_same(joined) {
  const storage = window.localStorage;
  const parts = joined.split('\0');
  for (let index = 0; index + 1 < parts.length; index += 2) {
    if (storage.getItem(parts[index]) === parts[index + 1]) storage.removeItem(parts[index]);
  }
}

// Writes `joined` (key NUL value NUL key NUL value…) item by item, in order: one call from wasm
// for a migration's thousands of documents. A refusal (a full quota) is thrown as it is, after
// the items before it were written.
export function write_joined(joined) {
  const storage = window.localStorage;
  const parts = joined.split('\0');
  for (let index = 0; index + 1 < parts.length; index += 2) {
    storage.setItem(parts[index], parts[index + 1]);
  }
}

// Whether localStorage holds every item of `joined` (key NUL value NUL …) exactly: a migration's
// read-back, compared here as text (one call, no string copied back into wasm).
export function same_items(joined) {
  const storage = window.localStorage;
  const parts = joined.split('\0');
  for (let index = 0; index + 1 < parts.length; index += 2) {
    if (storage.getItem(parts[index]) !== parts[index + 1]) return false;
  }
  return true;
}

// Records the User Timing measure `name` from `start` to `end` (performance.now() times) and
// clears it (a PerformanceObserver still receives it): no marks to create and clear.
export function record_measure(name, start, end) {
  performance.measure(name, { start, end });
  performance.clearMeasures(name);
}

// A promise resolved in a task of its own, soon: a message to itself, which the browser does not
// hold back as it holds nested 0 ms timers (at least 4 ms each after the fifth). For work cut
// into many small tasks (team sync's pulled batches).
export function next_task() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
