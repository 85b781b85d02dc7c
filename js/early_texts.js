// The article texts asked of IndexedDB, and the stored packs inflated, while the app downloads
// (ARCHITECTURE.md, web::storage); on a first start, the sample articles fetched instead
// (web::sample_corpus). Inlined into index.html's head by Trunk, before the
// stylesheets (a script after them waits for them); scripts/minify.py drops the comments.
'use strict';
{
const STORE_PREFIX = 'cc2/';
// The store's pack keys, listed once for both parts below (with 12,000 loose items, a listing
// costs milliseconds).
const packKeys = (() => {
  try {
    return Reflect.ownKeys(localStorage).filter((key) => typeof key === 'string' && key.startsWith(`${STORE_PREFIX}_pack/`));
  } catch {
    return [];
  }
})();
// Deflated pack → promise of its text as UTF-8 bytes, for js/local_store.js (which hands packs
// to the app as those bytes: not decoded here).
(() => {
  const DEFLATED = 'crosscheck-pack-deflate:';
  try {
    if (typeof DecompressionStream !== 'function') return;
    const inflate = async (value) => {
      const base64 = value.slice(DEFLATED.length);
      const bytes = typeof Uint8Array.fromBase64 === 'function' ? Uint8Array.fromBase64(base64) : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const stream = new DecompressionStream('deflate');
      const writer = stream.writable.getWriter();
      writer.write(bytes).catch(() => {});
      writer.close().catch(() => {});
      // Read here, not by a Response: Firefox logs a Response body's error as the page's.
      const reader = stream.readable.getReader();
      const chunks = [];
      for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
      const all = new Uint8Array(chunks.reduce((length, chunk) => length + chunk.length, 0));
      chunks.reduce((at, chunk) => (all.set(chunk, at), at + chunk.length), 0);
      return all;
    };
    const inflating = new Map();
    for (const key of packKeys) {
      const value = localStorage.getItem(key);
      if (value !== null && value.startsWith(DEFLATED) && !inflating.has(value)) {
        const text = inflate(value);
        text.catch(() => {});
        inflating.set(value, text);
      }
    }
    window.crosscheckInflating = inflating;
  } catch {
    // js/local_store.js inflates them
  }
})();
// A first start (no store, no version-1 project): the sample articles, fetched while the app
// downloads rather than after its read of the empty store. Their names are
// domain::corpus::DEFAULT_CORPUS_NAMES; any failure here, and the app fetches them itself.
(() => {
  try {
    if (packKeys.length > 0 || localStorage.getItem(`${STORE_PREFIX}_local/manifest`) !== null || localStorage.getItem('crosscheck.project.v1') !== null) return;
    const SAMPLES = ['000_92a9d14c6e2840a7.txt', '001_fdcd489a63c1b1b4.txt', '002_b5d4877363400f42.txt', '003_49f1b7efc888a74a.txt', '004_912483b5d7e3958a.txt'];
    // name NUL text NUL …, as the store's items cross (formats::stored::journal::split_joined).
    const samples = Promise.all(SAMPLES.map(async (name) => {
      const response = await fetch(`corpus/${name}`);
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      return [name, await response.text()];
    })).then((files) => files.flat().join('\0'));
    samples.catch(() => {});
    window.crosscheckSamples = samples;
  } catch {
    // the app fetches them
  }
})();
(() => {
  const DATABASE = 'crosscheck';
  const TEXTS = 'texts';
  try {
    if (typeof indexedDB === 'undefined' || localStorage.getItem(`${STORE_PREFIX}_local/manifest`) === null) return;
    // The project's article ids: from its loose item, else from the latest pack holding it (the
    // order formats::stored::packs reads them in). Any list is safe: texts are checked by id.
    const inflating = window.crosscheckInflating; // the app may forget it before IndexedDB opens
    // The JSON of the packed document `project` in a pack's text (`id SEP json SEP …`; its UTF-8
    // bytes, or the text where it is stored as it is), or null.
    const MARK = new TextEncoder().encode('\u0001project\u0001');
    const packed = (pack) => {
      const bytes = typeof pack === 'string' ? new TextEncoder().encode(pack) : pack;
      for (let at = bytes.indexOf(1); at >= 0; at = bytes.indexOf(1, at + 1)) {
        // Most fields start otherwise (a JSON object, another id): one byte tells.
        if (bytes[at + 1] !== MARK[1] || !MARK.every((byte, index) => bytes[at + index] === byte)) continue;
        const end = bytes.indexOf(1, at + MARK.length);
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at + MARK.length, end < 0 ? undefined : end));
      }
      return null;
    };
    const articleIds = async () => {
      let raw = localStorage.getItem(`${STORE_PREFIX}project`);
      const packs = [...packKeys].sort((a, b) => b.slice(10) - a.slice(10));
      for (const key of raw === null ? packs : []) {
        const value = localStorage.getItem(key) ?? '';
        raw = packed(await Promise.resolve(inflating?.get(value) ?? value).catch(() => ''));
        if (raw !== null) break;
      }
      const ids = JSON.parse(raw ?? 'null')?.d?.articles;
      return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : [];
    };
    // Each text's SHA-256 against its id (`a-` + 16 hex digits), off the main thread while the
    // wasm compiles: the ids that match, which the load need not hash again.
    const hex = (digest) => [...new Uint8Array(digest, 0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    const checked = async (found) => {
      const ids = [];
      if (typeof crypto !== 'undefined' && crypto.subtle) {
        const encoder = new TextEncoder();
        await Promise.all([...found].map(async ([id, text]) => {
          try {
            if (`a-${hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)))}` === id) ids.push(id);
          } catch {
            // the load hashes it
          }
        }));
      }
      return { texts: found, checked: ids };
    };
    const texts = new Promise((resolve, reject) => {
      const opening = indexedDB.open(DATABASE);
      opening.onupgradeneeded = () => opening.transaction.abort();
      opening.onerror = () => reject(opening.error);
      opening.onblocked = () => reject(new Error('IndexedDB is blocked'));
      opening.onsuccess = () => articleIds().catch(() => []).then((ids) => {
        const database = opening.result;
        database.onversionchange = () => database.close();
        try {
          const transaction = database.transaction(TEXTS, 'readonly');
          const store = transaction.objectStore(TEXTS);
          const found = new Map();
          for (const id of ids) {
            const request = store.get(id);
            request.onsuccess = () => {
              if (typeof request.result === 'string') found.set(id, request.result);
            };
          }
          transaction.oncomplete = () => {
            database.close();
            resolve(checked(found));
          };
          transaction.onerror = transaction.onabort = () => {
            database.close();
            reject(transaction.error);
          };
        } catch (error) {
          database.close();
          reject(error);
        }
      });
    });
    texts.catch(() => {});
    window.crosscheckEarlyTexts = texts;
  } catch {
    // the app reads and reports
  }
})();
}
