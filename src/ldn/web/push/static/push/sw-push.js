// Push reminders in the service worker, loaded by the site's /sw.js with importScripts.
// "push": show the reminder with its buttons. "notificationclick": a button sends the answer
// (with the reminder's single-use token and the session cookie) to the server and shows the
// server's reply; a tap on the notification itself opens the page that records the dose.
(function () {
  "use strict";
  var ICON = "/static/ldn/icon.svg";

  // Chrome shows at most Notification.maxActions buttons (2 on Android and desktop): then the
  // two answers for bedtime, Taken and Snooze, and the page a tap on the notification opens
  // has Taken and Skip.
  function buttons(actions) {
    var room = self.Notification && Notification.maxActions ? Notification.maxActions : actions.length;
    if (actions.length <= room) return actions;
    var first = actions.filter(function (a) { return a.action === "taken" || a.action === "snooze"; });
    return (first.length ? first : actions).slice(0, room);
  }

  function onPush(data) {
    return self.registration.showNotification(data.title || "LDN Companion", {
      body: data.body || "",
      tag: data.tag || "ldn-reminder",
      renotify: true,
      requireInteraction: true,
      icon: ICON,
      badge: ICON,
      actions: buttons(data.actions || []),
      data: data
    });
  }

  function reply(data, text) {
    return self.registration.showNotification("LDN Companion", {
      body: text, tag: (data.tag || "ldn-reminder") + "-reply", icon: ICON, data: { open_url: "/" }
    });
  }

  function openPage(url) {
    return self.clients.openWindow(url || "/");
  }

  function onClick(notification, action) {
    var data = notification.data || {};
    notification.close();
    if (!action || !data.act_url || !data.token) return openPage(data.open_url);
    return fetch(data.act_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
      body: new URLSearchParams({ token: data.token, action: action }).toString()
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        var text = answer.message || answer.error || "The answer was not recorded (error " + response.status + ").";
        if (response.status === 401) {
          return Promise.all([reply(data, text), openPage(data.open_url)]);
        }
        return reply(data, text);
      });
    }, function () {
      return Promise.all([
        reply(data, "No connection: the answer was not recorded. Record it on the page that opens."),
        openPage(data.open_url)
      ]);
    });
  }

  self.addEventListener("push", function (event) {
    var data = {};
    try {
      data = event.data ? event.data.json() : {};
    } catch (e) {
      data = { body: event.data ? event.data.text() : "" };
    }
    event.waitUntil(onPush(data));
  });

  self.addEventListener("notificationclick", function (event) {
    event.waitUntil(onClick(event.notification, event.action));
  });

  // For tests and debugging: the same handlers, callable from the worker's console.
  self.ldnPush = { onPush: onPush, onClick: onClick };
})();
