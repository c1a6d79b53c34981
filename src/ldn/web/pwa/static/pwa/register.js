// Registers the site's service worker (installable app, offline use).
(function () {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (err) {
    console.warn("LDN: the service worker was not registered", err);
  });
})();
