// LDN Companion's service worker, at the site root so its scope is the whole site.
// Rendered by ldn.web.pwa.views.service_worker (so it can name the static files).
{% if push_handlers %}try {
  importScripts("{{ push_handlers }}");  // push reminders: push and notificationclick handlers
} catch (err) {
  console.warn("LDN: the push handlers could not be loaded", err);
}{% endif %}
importScripts("{{ queue_script }}");  // LDNQueue: check-ins kept offline

const VERSION = "{{ version }}";
const SHELL = "ldn-shell-" + VERSION;  // static files and the offline page, the same for all
const PAGES = "ldn-pages-";  // + the user's key: one person's pages, dropped when they log out
const STATIC = "{{ static_prefix }}";
const OFFLINE = "{{ offline_url }}";
const LOGOUT = "{{ logout_url }}";
const SHELL_FILES = [OFFLINE{% for url in shell %}, "{{ url }}"{% endfor %}];
// Pages kept for offline use: today, the check-ins, the history, a day's entry. Nothing else,
// and never the answer to a POST.
const KEPT = /^\/(dashboard\/|journal\/checkin\/(\d{4}-\d{2}-\d{2}\/)?|journal\/history\/|journal\/entries\/\d+\/)$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("ldn-shell-") && n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

// Only the signed-in user's pages stay; "" (signed out) drops them all.
async function keepOnly(user) {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PAGES) && n !== PAGES + user).map((n) => caches.delete(n)));
}

async function userCache() {
  const names = await caches.keys();
  const name = names.find((n) => n.startsWith(PAGES));
  return name ? caches.open(name) : null;
}

async function page(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    const user = response.headers.get("X-LDN-User");
    if (user !== null) {
      await keepOnly(user);
      if (user && response.status === 200 && !response.redirected && KEPT.test(url.pathname) && !url.search) {
        const cache = await caches.open(PAGES + user);
        await cache.put(request.url, response.clone());
      }
    }
    return response;
  } catch (err) {
    const cache = await userCache();
    const kept = cache && (await cache.match(request.url));
    return kept || (await caches.match(OFFLINE)) || Response.error();
  }
}

// Static files: the copy at hand at once, refreshed in the background for next time.
async function staticFile(event) {
  const cache = await caches.open(SHELL);
  const kept = await cache.match(event.request);
  const fresh = fetch(event.request).then((response) => {
    if (response.ok) cache.put(event.request, response.clone());
    return response;
  });
  if (kept) {
    event.waitUntil(fresh.catch(() => null));
    return kept;
  }
  return fresh;
}

// A change anywhere may change these pages: drop them, the next visit or warm-up fetches them.
async function forget(path) {
  const cache = await userCache();
  if (!cache) return;
  for (const url of ["/dashboard/", "/journal/checkin/", "/journal/history/", path]) await cache.delete(url);
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname === path) await cache.delete(request);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (url.pathname === LOGOUT) {
      event.respondWith(keepOnly("").then(() => fetch(request)));  // nothing of theirs stays
    } else {
      event.waitUntil(forget(url.pathname));
    }
    return;
  }
  if (url.pathname.startsWith(STATIC)) {
    event.respondWith(staticFile(event));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});

// Fetch the pages this user may want offline and that are not kept yet (asked by register.js).
async function warm(user, urls) {
  await keepOnly(user);
  const cache = await caches.open(PAGES + user);
  for (const url of urls) {
    if (await cache.match(url)) continue;
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin" });
    } catch (err) {
      return;
    }
    if (response.status === 200 && !response.redirected && response.headers.get("X-LDN-User") === user) {
      await cache.put(url, response);
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "warm" && data.user) event.waitUntil(warm(data.user, data.urls || []));
});

// Background Sync: send the check-ins kept offline; the pages show the answers.
async function sendQueued() {
  const answers = await self.LDNQueue.send({});
  for (const answer of answers) await self.LDNQueue.keepAnswer(answer);
  const clients = await self.clients.matchAll({ type: "window" });
  clients.forEach((client) => client.postMessage({ type: "answers" }));
}

self.addEventListener("sync", (event) => {
  if (event.tag === "ldn-checkins") event.waitUntil(sendQueued());
});
