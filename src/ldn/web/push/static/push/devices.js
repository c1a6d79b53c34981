// The devices page: subscribe this browser to push (VAPID key from the page), mark which listed
// device is this one, and unsubscribe the browser too when this device is removed.
(function () {
  "use strict";
  var box = document.getElementById("push-controls");
  if (!box) return;
  var button = document.getElementById("push-subscribe");
  var status = document.getElementById("push-status");
  var say = function (text) { status.textContent = text; };

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("This browser cannot receive push notifications. On an iPhone, add LDN Companion to the home screen first (Share, then Add to Home Screen) and open it from there.");
    return;
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function registration() {
    return navigator.serviceWorker.getRegistration("/").then(function (reg) {
      return reg || navigator.serviceWorker.register("/sw.js", { scope: "/" });
    }).then(function () { return navigator.serviceWorker.ready; });
  }

  function markThisDevice(sub) {
    document.querySelectorAll(".device-list li").forEach(function (li) {
      var mine = !!sub && li.getAttribute("data-endpoint") === sub.endpoint;
      li.querySelector(".this-device").hidden = !mine;
      if (mine) li.setAttribute("data-this-device", "");
    });
  }

  function send(sub) {
    var json = sub.toJSON();
    var body = new URLSearchParams({ endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth });
    var csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(box.getAttribute("data-url"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(data.error || "The server refused this device.");
        return data;
      });
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    say("Asking this browser for permission…");
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") throw new Error("Notifications are blocked for this site: allow them in the browser's site settings, then try again.");
      return registration();
    }).then(function (reg) {
      return reg.pushManager.getSubscription().then(function (sub) {
        return sub || reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.getAttribute("data-key")) });
      });
    }).then(send).then(function (data) {
      say(data.message + " Reloading the list…");
      window.location.reload();
    }).catch(function (err) {
      say("Notifications were not turned on: " + err.message);
      button.disabled = false;
    });
  });

  navigator.serviceWorker.getRegistration("/").then(function (reg) {
    return reg ? reg.pushManager.getSubscription() : null;
  }).then(function (sub) {
    markThisDevice(sub);
    var listed = sub && document.querySelector(".device-list li[data-this-device]");
    button.hidden = !!listed;
    if (listed) say("This device gets your notifications.");
    document.querySelectorAll(".push-revoke").forEach(function (form) {
      form.addEventListener("submit", function () {
        if (sub && form.closest("li").hasAttribute("data-this-device")) sub.unsubscribe();
      });
    });
  }).catch(function () { button.hidden = false; });
})();
