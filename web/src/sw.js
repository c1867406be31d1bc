// The service worker keeps the app's own files on this device, so that mitra opens (and a dose
// can be logged into the outbox) without a connection to its server. API answers are never
// stored here: they hold health data and must always be fresh.

const kCache = 'mitra-shell-v2';
const kShell = [
  '/', '/app.js', '/styles.css', '/icon.svg', '/manifest.webmanifest', '/vendor/chart.umd.min.js',
  '/lib/api.js', '/lib/charts.js', '/lib/dom.js', '/lib/outbox.js',
  '/pages/assess.js', '/pages/dose_form.js', '/pages/help.js', '/pages/home.js',
  '/pages/journal.js', '/pages/learn.js', '/pages/not_advice.js', '/pages/plan.js', '/pages/profile.js',
  '/pages/settings.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(kCache).then((cache) => cache.addAll(kShell)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== kCache).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The app's files: from the network when it answers (so an upgraded mitra is seen at once),
// else from the cache. Everything else goes straight to the network.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin ||
      url.pathname.startsWith('/api/')) {
    return;
  }
  const key = url.pathname === '/' ? '/' : url.pathname;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(kCache).then((cache) => cache.put(key, copy));
        }
        return response;
      })
      .catch(() => caches.match(key).then((cached) => cached ?? Response.error())));
});
