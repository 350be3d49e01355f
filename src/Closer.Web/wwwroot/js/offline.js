// Registers the service worker (what may be read offline) and keeps the reporting drafts of the signed-in person:
// one IndexedDB database per person on this device, named by the opaque key the page gives (data-user).
(() => {
  const me = document.currentScript;
  const user = me.dataset.user;
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register(me.dataset.sw, { scope: '/' }).catch(() => {});
    navigator.serviceWorker.ready.then(r => r.active?.postMessage({ type: 'user', user: user || null })).catch(() => {});
  }
  if (!('indexedDB' in window)) {
    return;
  }
  const name = u => 'closer-drafts-' + u;
  const open = u => new Promise((resolve, reject) => {
    const req = indexedDB.open(name(u), 1);
    req.onupgradeneeded = () => req.result.createObjectStore('drafts', { keyPath: 'deviceId' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const run = async (u, mode, act) => {
    const db = await open(u);
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction('drafts', mode);
        const req = act(tx.objectStore('drafts'));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  };
  // UUID v7: 48 bits of milliseconds, then random bits, with version and variant set.
  const uuid7 = () => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    let t = Date.now();
    for (let i = 5; i >= 0; i--) { b[i] = t % 256; t = Math.floor(t / 256); }
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  window.CloserDrafts = {
    uuid7,
    all: u => run(u, 'readonly', s => s.getAll()),
    put: (u, d) => run(u, 'readwrite', s => s.put(d)),
    del: (u, id) => run(u, 'readwrite', s => s.delete(id)),
    drop: u => new Promise(resolve => { const r = indexedDB.deleteDatabase(name(u)); r.onsuccess = r.onerror = r.onblocked = () => resolve(); }),
  };
  if (!user) {
    return;
  }
  // Signing out: drafts not synced yet are deleted only after the person says so; the form kept offline goes too.
  document.addEventListener('submit', async ev => {
    const form = ev.target;
    if (!form.matches('form[action="/account/logout"]') || form.dataset.confirmed) {
      return;
    }
    ev.preventDefault();
    const waiting = (await window.CloserDrafts.all(user).catch(() => [])).length;
    if (waiting > 0 && !window.confirm(me.dataset.confirm.replace('{0}', waiting))) {
      return;
    }
    await window.CloserDrafts.drop(user);
    navigator.serviceWorker?.controller?.postMessage({ type: 'signout', user });
    form.dataset.confirmed = '1';
    form.submit();
  });
})();
