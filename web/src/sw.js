// The service worker keeps the app's own files on this device, so that mitra opens (and a dose
// can be logged into the outbox) without a connection to its server. API answers are never
// stored here: they hold health data and must always be fresh.

const kCache = 'mitra-shell-v5';
const kShell = [
  '/', '/app.js', '/styles.css', '/icon.svg', '/manifest.webmanifest', '/vendor/chart.umd.min.js',
  '/lib/api.js', '/lib/charts.js', '/lib/dom.js', '/lib/i18n.js', '/lib/outbox.js', '/i18n/es.json',
  '/pages/assess.js', '/pages/clinic.js', '/pages/dose_form.js', '/pages/help.js', '/pages/home.js',
  '/pages/journal.js', '/pages/learn.js', '/pages/not_advice.js', '/pages/pattern.js', '/pages/plan.js', '/pages/profile.js',
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

// The app's files: from the cache when it has them, so that a second visit paints at once
// without waiting for the network; each is fetched again meanwhile and kept for the next visit
// (so an upgraded mitra shows from the visit after its first). A file not kept yet, and the page
// opened from its private address (…/?token=…, which signs the browser in), come from the
// network, and from the cache only when the network fails. Everything else goes straight to the
// network.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin ||
      url.pathname.startsWith('/api/')) {
    return;
  }
  const key = url.pathname === '/' ? '/' : url.pathname;
  const fresh = fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      return caches.open(kCache).then((cache) => cache.put(key, copy)).then(() => response, () => response);
    }
    return response;
  });
  const fromNetwork = () => fresh.catch(() => caches.match(key).then((cached) => cached ?? Response.error()));
  if (url.searchParams.has('token')) {
    event.respondWith(fromNetwork());
    return;
  }
  event.respondWith(caches.match(key).then((cached) => cached ?? fromNetwork()));
  event.waitUntil(fresh.catch(() => {}));
});
