// Article texts asked of IndexedDB at the top of the page, while the browser fetches the app's
// JavaScript and wasm: Trunk inlines this classic script into index.html's <head> (pinned by
// scripts/csp.py's hash), so its request goes out ~100 ms before the app could make it, and the
// texts are there when the app has read the store (`take_early_texts` in js/local_store.js).
// Which texts: the project document's article order, read from localStorage (one small item),
// for a version-2 store only (its manifest is there). The texts are content-addressed, so they
// cannot be stale, and the app checks each against its id; a text not found here, or any
// failure, and the app reads them itself (and reports what fails).
'use strict';
(() => {
  const STORE_PREFIX = 'cc2/';
  // web::idb's database and its store of texts.
  const DATABASE = 'crosscheck';
  const TEXTS = 'texts';
  try {
    if (typeof indexedDB === 'undefined' || localStorage.getItem(`${STORE_PREFIX}_local/manifest`) === null) return;
    const ids = JSON.parse(localStorage.getItem(`${STORE_PREFIX}project`) ?? 'null')?.d?.articles;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) return;
    const texts = new Promise((resolve, reject) => {
      // No version: the database as it is (the app's own open upgrades it when it must).
      const opening = indexedDB.open(DATABASE);
      // No database yet: leave its creation to the app.
      opening.onupgradeneeded = () => opening.transaction.abort();
      opening.onerror = () => reject(opening.error);
      opening.onblocked = () => reject(new Error('IndexedDB is blocked'));
      opening.onsuccess = () => {
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
            resolve(found);
          };
          transaction.onerror = transaction.onabort = () => {
            database.close();
            reject(transaction.error);
          };
        } catch (error) {
          database.close();
          reject(error);
        }
      };
    });
    texts.catch(() => {}); // the app reads them again and reports
    window.crosscheckEarlyTexts = texts;
  } catch {
    // localStorage or IndexedDB is blocked: the app finds out and reports it
  }
})();
