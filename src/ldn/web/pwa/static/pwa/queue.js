// The offline check-in queue, kept in IndexedDB; used by the pages and by the service worker.
// An item is one check-in that could not be sent: {key, user, day, url, fields, csrf, savedAt,
// state}. `key` is the device's idempotency key: the server saves each key once, so sending an
// item twice (Background Sync and a page load at the same time) stores it once. An item leaves
// the queue only when the server has answered that it is saved (or was set aside by the patient).
(function (scope) {
  "use strict";
  const DB = "ldn-offline";
  const ITEMS = "checkins";
  const ANSWERS = "answers";
  const DONE = ["saved", "duplicate", "discarded"];

  function open() {
    return new Promise(function (resolve, reject) {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(ITEMS, { keyPath: "key" });
        request.result.createObjectStore(ANSWERS, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const tx = db.transaction(store, mode);
        const request = work(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function sendOne(item, csrf) {
    const body = new FormData();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("csrfmiddlewaretoken", csrf || item.csrf);
    body.set("ldn_user", item.user);
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-LDN-Queue": "1", "X-CSRFToken": csrf || item.csrf },
    });
  }

  function label(item) {
    const day = new Date(item.day + "T12:00:00");
    return day.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
  }

  const Queue = {
    add: function (item) {
      // A newer save of the same day by the same person replaces the one still waiting.
      return Queue.all().then(function (items) {
        return run(ITEMS, "readwrite", function (store) {
          items.forEach(function (old) {
            if (old.user === item.user && old.day === item.day && old.state === "waiting") store.delete(old.key);
          });
          return store.put(item);
        });
      });
    },
    all: function () { return run(ITEMS, "readonly", function (s) { return s.getAll(); }); },
    remove: function (key) { return run(ITEMS, "readwrite", function (s) { return s.delete(key); }); },
    answers: function () { return run(ANSWERS, "readonly", function (s) { return s.getAll(); }); },
    keepAnswer: function (answer) { return run(ANSWERS, "readwrite", function (s) { return s.put(answer); }); },
    dropAnswer: function (key) { return run(ANSWERS, "readwrite", function (s) { return s.delete(key); }); },
    label: label,

    // Send what is waiting (only `user`'s items when given; the server refuses another
    // account's anyway). Returns the server's answers, one per item it answered.
    send: function (options) {
      // One sender at a time on this device (the pages and the worker share the lock), so an
      // item is not sent again while its first answer is on the way.
      if (self.navigator && navigator.locks) {
        return navigator.locks.request("ldn-offline-queue", function () { return sendAll(options || {}); });
      }
      return sendAll(options || {});
    },
  };

  function sendAll(options) {
      return Queue.all().then(async function (items) {
        const answers = [];
        for (const item of items) {
          if (options.user !== undefined && item.user !== options.user) continue;
          let response;
          try {
            response = await sendOne(item, options.csrf);
          } catch (err) {
            break;  // still offline: everything stays for the next try
          }
          let answer;
          if (response.redirected && new URL(response.url).pathname.indexOf("/accounts/login/") === 0) {
            answer = { outcome: "login", message: "Log in to send your check-in for " + label(item) +
              " kept on this device; it stays here until then.", url: item.url };
          } else if (!response.ok || (response.headers.get("Content-Type") || "").indexOf("json") < 0) {
            answer = { outcome: "error", message: "Your check-in for " + label(item) + " was not sent " +
              "yet (the server answered " + response.status + "); it stays on this device and is sent again later.",
              url: item.url };
          } else {
            answer = await response.json();
          }
          answer.key = item.key;
          answer.day = item.day;
          if (DONE.indexOf(answer.outcome) >= 0) {
            await Queue.remove(item.key);
          } else if (answer.outcome === "conflict" || answer.outcome === "invalid") {
            item.state = answer.outcome;
            await run(ITEMS, "readwrite", function (s) { return s.put(item); });
          }
          answers.push(answer);
        }
        return answers;
      });
  }
  scope.LDNQueue = Queue;
})(self);
