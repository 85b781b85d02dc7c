// The article texts asked of IndexedDB while the app downloads (ARCHITECTURE.md, web::storage).
// Inlined into index.html by Trunk, comments and all: keep them short.
'use strict';
(() => {
  const STORE_PREFIX = 'cc2/';
  const DATABASE = 'crosscheck';
  const TEXTS = 'texts';
  try {
    if (typeof indexedDB === 'undefined' || localStorage.getItem(`${STORE_PREFIX}_local/manifest`) === null) return;
    const ids = JSON.parse(localStorage.getItem(`${STORE_PREFIX}project`) ?? 'null')?.d?.articles;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) return;
    const texts = new Promise((resolve, reject) => {
      const opening = indexedDB.open(DATABASE);
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
    texts.catch(() => {});
    window.crosscheckEarlyTexts = texts;
  } catch {
    // the app reads and reports
  }
})();
