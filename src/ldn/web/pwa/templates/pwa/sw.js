// LDN Companion's service worker, at the site root so its scope is the whole site.
// Rendered by ldn.web.pwa.views.service_worker (so it can name the static files).
{% if push_handlers %}try {
  importScripts("{{ push_handlers }}");  // push reminders: push and notificationclick handlers
} catch (err) {
  console.warn("LDN: the push handlers could not be loaded", err);
}{% endif %}

self.addEventListener("install", (event) => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  // Network as usual; offline caching comes next.
});
