// Closer's service worker. The server marks what may be kept (Infrastructure/Offline.cs): anonymous public pages
// ("Closer-Offline: public") and the reporting form of one person ("form", with "Closer-User"). Nothing else is cached.
// Every cache name ends with the build's version (the ?v= of this script): a deploy installs a new worker that drops them.
const V = new URL(self.location.href).searchParams.get('v') || '0';
const PAGES = 'closer-pages-' + V;
const PINNED = 'closer-pinned-' + V;
const STATIC = 'closer-static-' + V;
const META = 'closer-meta';
const FORM = u => 'closer-form-' + u + '-' + V;
const LANGS = ['en', 'es', 'pt', 'pap'];
const MAX_PAGES = 30;

self.addEventListener('install', e => {
  e.waitUntil(caches.open(PINNED)
    .then(c => c.addAll(LANGS.map(l => new Request('/' + l + '/offline', { credentials: 'omit' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', e => {
  e.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => k !== META && !k.endsWith('-' + V)).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

const meta = () => caches.open(META);
const setUser = async u => (await meta()).put('/user', new Response(u));
const getUser = async () => { const r = await (await meta()).match('/user'); return r ? r.text() : null; };

self.addEventListener('message', e => {
  const m = e.data || {};
  if (m.type === 'signout' && typeof m.user === 'string') {
    e.waitUntil(Promise.all([caches.delete(FORM(m.user)), meta().then(c => c.delete('/user'))]));
  } else if (m.type === 'user') {
    // Who is signed in now, told by every page (js/offline.js): the form kept offline is only ever that person's, so
    // after someone else signs in on this device (or a session ends without signing out) nobody gets the last one's form.
    e.waitUntil(typeof m.user === 'string' && m.user ? setUser(m.user) : meta().then(c => c.delete('/user')));
  }
});

self.addEventListener('fetch', e => {
  const r = e.request;
  const url = new URL(r.url);
  if (r.method !== 'GET' || url.origin !== self.location.origin) {
    return;
  }
  if (r.mode === 'navigate') {
    e.respondWith(page(r, url));
  } else if (/^\/(css|js|icons)\//.test(url.pathname) || url.pathname === '/favicon.svg' || url.pathname === '/manifest.webmanifest') {
    e.respondWith(asset(r));
  }
});

async function asset(r) {
  const c = await caches.open(STATIC);
  const hit = await c.match(r);
  if (hit) {
    return hit;
  }
  const res = await fetch(r);
  if (res.ok) {
    await c.put(r, res.clone());
  }
  return res;
}

const langOf = url => LANGS.find(l => url.pathname === '/' + l || url.pathname.startsWith('/' + l + '/'))
  || LANGS.find(l => (self.navigator.language || '').toLowerCase().startsWith(l)) || 'en';

async function page(r, url) {
  let res;
  try {
    res = await fetch(r);
  } catch (err) {
    return offline(r, url);
  }
  const mark = res.headers.get('Closer-Offline');
  if (res.ok && mark === 'public') {
    await keep(url, res.clone());
  } else if (res.ok && mark === 'form' && res.headers.get('Closer-User')) {
    const u = res.headers.get('Closer-User');
    await setUser(u);
    await (await caches.open(FORM(u))).put('/admin/reporting', res.clone());
  }
  return res;
}

// The last MAX_PAGES public pages, newest last; the reader's home and facts page are kept apart and never pushed out.
async function keep(url, res) {
  const key = url.pathname + url.search;
  const lang = langOf(url);
  const pinned = await caches.open(PINNED);
  if (key === '/' + lang + '/' || key === '/' + lang + '/facts') {
    // The home or facts page read again: the copy kept for offline reading is the one just read, not the first one.
    await pinned.put(key, res.clone());
  }
  const c = await caches.open(PAGES);
  await c.delete(key);
  await c.put(key, res);
  const keys = await c.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map(k => c.delete(k)));
  for (const path of ['/' + lang + '/', '/' + lang + '/facts']) {
    if (!(await pinned.match(path))) {
      try {
        const x = await fetch(path, { credentials: 'omit' });
        if (x.ok && x.headers.get('Closer-Offline') === 'public') {
          await pinned.put(path, x);
        }
      } catch (err) {
        // Offline again: kept next time.
      }
    }
  }
}

async function offline(r, url) {
  if (url.pathname.toLowerCase() === '/admin/reporting') {
    const u = await getUser();
    const shell = u && await (await caches.open(FORM(u))).match('/admin/reporting');
    if (shell) {
      return shell;
    }
  }
  const key = url.pathname + url.search;
  for (const name of [PINNED, PAGES]) {
    const hit = await (await caches.open(name)).match(key);
    if (hit) {
      return hit;
    }
  }
  return (await (await caches.open(PINNED)).match('/' + langOf(url) + '/offline')) || Response.error();
}
