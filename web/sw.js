// sw.js — caches the app shell so the app boots offline. Served from the site
// root (build.sh copies it there) so that its scope covers index.html. The cache
// is named by the wasm's hash, which build.sh stamps in: a new build is a new
// service worker, which fetches the new shell and drops the old cache.
const VERSION = "__SXWEB_VERSION__";
const CACHE = `sxweb-${VERSION}`;
// Every file of build/web ("./" is index.html), stamped by build.sh.
const SHELL = ["__SXWEB_SHELL__"];
const scope = new URL(self.registration.scope);
const SHELL_URLS = new Set(SHELL.map((p) => new URL(p, scope).href));

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((p) => new Request(new URL(p, scope), { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("sxweb-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== scope.origin) return;
  // Navigations (any hash, e.g. a #/join/… link) get the cached index.html.
  const nav = req.mode === "navigate" && (url.pathname === scope.pathname || url.pathname === `${scope.pathname}index.html`);
  const key = nav ? scope.href : url.origin + url.pathname;
  if (!SHELL_URLS.has(key)) return; // /relay and anything else: straight to the network
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(key);
    if (hit) return hit;
    const resp = await fetch(req);
    if (resp.ok) cache.put(key, resp.clone());
    return resp;
  })());
});
