// The service worker: keeps one build's files (SHELL, named by VERSION; both written above
// this by scripts/service-worker.mjs) so that natter opens offline after a first visit.
// Pages come from the network whenever it answers, so a new build shows on the next load;
// the kept copy stands in only when the network fails. A new build brings a new worker
// (its VERSION differs), which takes over at once and drops the older builds' files.
const CACHE = `natter-${VERSION}`;

self.addEventListener('install', (event) => {
  // Hashed files usually come from the HTTP cache the page filled: not downloaded twice.
  const kept = caches.open(CACHE).then((cache) => cache.addAll(SHELL));
  event.waitUntil(kept.then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  const old = (key) => key.startsWith('natter-') && key !== CACHE;
  const dropped = caches.keys().then((keys) => Promise.all(keys.filter(old).map((key) => caches.delete(key))));
  event.waitUntil(dropped.then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  // config.json (the signaling server may move) and anything but our own files: the
  // network's, untouched. The socket at /ws never passes here.
  if (request.method !== 'GET' || url.origin !== location.origin || url.pathname.endsWith('/config.json')) return;
  if (request.mode === 'navigate') {
    // Any address opens the app (rooms are in ?room= and #room=): the kept page.
    event.respondWith(fetch(request).catch(() => caches.match('./', { ignoreVary: true })));
  } else {
    // Hashed names never change content: the kept copy is as good as the network's.
    event.respondWith(caches.match(request, { ignoreVary: true }).then((kept) => kept ?? fetch(request)));
  }
});
