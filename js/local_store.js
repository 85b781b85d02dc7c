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
// Packs (`cc2/_pack/N`) are stored deflated: this header, then the pack's text as UTF-8,
// deflated (zlib, whose checksum catches a damaged item), in base64. ~3× fewer characters than
// the text: a new tab's first access to the origin's items (Chromium loads them all) took ~27
// against ~10 ms for 2 MB against 0.55 MB, and the quota holds ~3× more. The browser's own
// CompressionStream and DecompressionStream do it, off the wasm: they are asynchronous, so
// every pack's text is known here before the app reads (`packs_ready`), and the app reads the
// texts. A value that cannot be inflated is given as it is: the app reports that pack as one it
// cannot read, and keeps it. A pack's text is kept as the inflated UTF-8 bytes, which the app's
// read takes as they are (`read_prefixed`): never decoded into a JavaScript string and encoded
// back into the wasm (~20 ms of a new tab's load for the benchmark's 1.8 MB of packs).
const PACK_KEYS = 'cc2/_pack/';
const DEFLATED = 'crosscheck-pack-deflate:';
// Deflated value → the pack's text as UTF-8 bytes (not checked to be UTF-8: the app does), for
// the packs this page has read or written since `forget_packs` (the app forgets them once it has
// read them: they are the store's bulk).
const plainOf = new Map();
// What `read_prefixed` last read, for `last_read_as_text`.
let lastRead = null;
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
    const items = readItems(STORE_PREFIX);
    early = { mark, items, ready: learn(items === null ? [] : items.filter((_, index) => index % 2 === 1)) };
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

// Every item whose key starts with `prefix`, as the UTF-8 bytes of one text: key NUL value NUL
// key NUL value… (JSON text and the store's ids never hold a raw NUL). Returns null when a key or
// value does hold one, so the caller reads item by item instead. Throws what localStorage throws.
// Packs are given as their texts (see DEFLATED), whose bytes may not be UTF-8 (a damaged pack):
// then the caller asks `last_read_as_text`. The items that are not packs come first.
export function read_prefixed(prefix) {
  let copy = earlyCopy(prefix);
  dropEarly();
  // The early copy holds none of what was heard (it was read before any); a read now, all of it.
  if (prefix === STORE_PREFIX && heardAtRead === null) heardAtRead = copy !== null ? 0 : heard.length;
  const items = copy !== null ? copy.items : readItems(prefix);
  lastRead = items;
  return items === null ? null : joinedBytes(items);
}

// The items `read_prefixed` last gave, as one text: each pack as its text where its bytes are
// UTF-8, else as it is stored (the app reports that pack as one it cannot read).
export function last_read_as_text() {
  const items = lastRead;
  lastRead = null;
  if (items === null) return null;
  return items.map((item, index) => (index % 2 === 1 ? plainText(item) ?? item : item)).join('\0');
}

// `items` (key, value, key, value…) joined as `read_prefixed` gives them: the items that are
// not packs encoded at once, then each pack's key and bytes.
function joinedBytes(items) {
  const encoder = new TextEncoder();
  const text = [];
  const parts = [];
  for (let index = 0; index + 1 < items.length; index += 2) {
    const bytes = plainOf.get(items[index + 1]);
    if (bytes === undefined) text.push(items[index], items[index + 1]);
    else parts.push(encoder.encode(items[index]), bytes);
  }
  if (text.length > 0) parts.unshift(encoder.encode(text.join('\0')));
  const all = new Uint8Array(Math.max(0, parts.reduce((length, part) => length + part.length + 1, -1)));
  let at = 0;
  parts.forEach((part, index) => {
    at += index > 0 ? 1 : 0; // the NUL between two parts (the array starts zeroed)
    all.set(part, at);
    at += part.length;
  });
  return all;
}

// A pack's text known here, decoded, or undefined (unknown, or its bytes are not UTF-8).
function plainText(value) {
  const bytes = plainOf.get(value);
  if (bytes === undefined) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

// The early copy, if the app's read of `prefix` may take it: not when another tab compacted the
// store since (the copy may hold half of it).
function earlyCopy(prefix) {
  if (prefix !== STORE_PREFIX || early === null) return null;
  return window.localStorage.getItem(PACKS_MARK) === early.mark ? early : null;
}

// A promise resolved once every pack the store holds is known as text (read_prefixed gives the
// texts): at once when the packs are those read as the page loaded, whose inflating began then.
// The store's lock keeps other tabs from compacting between this and the read.
export function packs_ready() {
  try {
    const copy = earlyCopy(STORE_PREFIX);
    if (copy !== null) return copy.ready;
    const storage = window.localStorage;
    return learn(allKeys(storage).filter((key) => key.startsWith(PACK_KEYS)).map((key) => storage.getItem(key)));
  } catch {
    return Promise.resolve(); // the read throws again, and is reported
  }
}

// Drops the packs' texts known here (the app has read them); `packs_ready` inflates them again.
export function forget_packs() {
  plainOf.clear();
  lastRead = null;
  if (typeof window !== 'undefined') window.crosscheckInflating = undefined;
}

// The item `key`, a pack as its text.
export function plain_item(key) {
  const value = window.localStorage.getItem(key);
  return value === null ? null : plainText(value) ?? value;
}

// Inflates the deflated values among `values` not known yet; resolves when all are done. One
// that cannot be inflated stays unknown (given as it is).
function learn(values) {
  const waits = [];
  // Those js/early_texts.js began to inflate as the page loaded.
  const inflating = typeof window !== 'undefined' ? window.crosscheckInflating : undefined;
  for (const value of values) {
    if (typeof value !== 'string' || !value.startsWith(DEFLATED) || plainOf.has(value)) continue;
    const bytes = inflating?.get(value) ?? inflate(value);
    // A text holding a NUL (read_prefixed's joiner) stays unknown too: JSON never holds one raw.
    waits.push(bytes.then((bytes) => bytes.includes(0) || plainOf.set(value, bytes), () => {}));
  }
  return waits.length === 0 ? Promise.resolve() : Promise.all(waits).then(() => undefined);
}

// `bytes` through `transform`, all of its output. Through the stream's writer, not a Blob's
// stream (a Blob's bytes go to the browser's process and come back through a pipe); read here,
// not by a Response (Firefox logs a Response body's error as the page's, a damaged pack's too).
async function through(transform, bytes) {
  const writer = transform.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const reader = transform.readable.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  const all = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

// A deflated pack's text, as bytes.
async function inflate(value) {
  return through(new DecompressionStream('deflate'), fromBase64(value.slice(DEFLATED.length)));
}

// A pack's text as it is stored: deflated, or as it is where the browser cannot deflate.
async function deflatedPack(text) {
  try {
    const bytes = new TextEncoder().encode(text);
    const deflated = await through(new CompressionStream('deflate'), bytes);
    const value = DEFLATED + toBase64(deflated);
    plainOf.set(value, bytes);
    return value;
  } catch {
    return text;
  }
}

function fromBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function toBase64(bytes) {
  if (typeof bytes.toBase64 === 'function') return bytes.toBase64();
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
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

// Every item whose key starts with `prefix`: key, value, key, value… (null when one holds a NUL).
function readItems(prefix) {
  const storage = window.localStorage;
  const parts = [];
  for (const key of allKeys(storage)) {
    if (!key.startsWith(prefix)) continue;
    const value = storage.getItem(key);
    if (value === null) continue;
    if (key.includes('\0') || value.includes('\0')) return null;
    parts.push(key, value);
  }
  return parts;
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

// A compaction's writes (`packs::Run`), queued in order: `set` runs (key NUL value NUL …, the
// packs as text, deflated here first), and removal runs (key NUL value NUL …: each key whose item
// still holds that value, a pack's as text, is removed; a loose item written again since is
// newer, and stays). Each run is written in one task, while this page holds the store's lock
// exclusive; the first refusal (a full quota) stops the rest. After any of them the store reads
// the same (`formats::stored::packs`).
let compacting = null;
export function compaction_run(set, joined) {
  if (compacting === null) compacting = { chain: Promise.resolve(), halt: null };
  const state = compacting;
  state.chain = state.chain.then(async () => {
    if (state.halt !== null) return;
    const parts = joined.split('\0');
    if (set) {
      await Promise.all(
        parts.map(async (part, index) => {
          if (index % 2 === 1 && parts[index - 1].startsWith(PACK_KEYS)) parts[index] = await deflatedPack(part);
        }),
      );
    }
    if (releaseExclusive === null) {
      state.halt = 'shared';
      return;
    }
    const storage = window.localStorage;
    try {
      for (let index = 0; index + 1 < parts.length; index += 2) {
        const [key, value] = [parts[index], parts[index + 1]];
        if (set) {
          storage.setItem(key, value);
        } else {
          const stored = storage.getItem(key);
          if (stored !== null && (stored === value || plainText(stored) === value)) storage.removeItem(key);
        }
      }
    } catch (error) {
      state.halt = error;
    }
  });
}

// A promise of how the queued compaction ended: null (written), 'shared' (this page no longer
// held the lock exclusive: the rest was not written) or what localStorage threw.
export function compaction_end() {
  const state = compacting;
  compacting = null;
  return state === null ? Promise.resolve(null) : state.chain.then(() => state.halt);
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
