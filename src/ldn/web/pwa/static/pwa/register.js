// Registers the site's service worker (installable app, offline use), sends check-ins kept on
// this device once the connection is back, and shows the server's answer on the page.
(function () {
  "use strict";
  function meta(name) {
    const el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.content : "";
  }
  function cookie(name) {
    const found = document.cookie.split("; ").find(function (c) { return c.indexOf(name + "=") === 0; });
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }
  const user = meta("ldn-user");
  const pages = meta("ldn-offline-pages");

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (err) {
      console.warn("LDN: the service worker was not registered", err);
    });
    navigator.serviceWorker.ready.then(function (registration) {
      // Keep this patient's recent pages ready for offline use (the worker fetches what it lacks).
      if (user && pages && navigator.onLine && registration.active) {
        registration.active.postMessage({ type: "warm", user: user, urls: pages.split(" ") });
      }
    });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "answers") showStored();
    });
  }
  if (!self.LDNQueue || !user) return;
  const DONE = ["saved", "duplicate", "discarded"];
  const CARRIED = "ldn-offline-answers";

  function banner() {
    let box = document.getElementById("offline-queue");
    if (!box) {
      box = document.createElement("div");
      box.id = "offline-queue";
      box.className = "offline-queue";
      box.setAttribute("role", "status");
      const main = document.getElementById("main") || document.body;
      main.insertBefore(box, main.firstChild);
    }
    return box;
  }

  // A conflict or a refused answer is looked at by sending the kept answers as a normal form:
  // the server then shows both versions (or the answers to fix) as a page.
  function reviewButton(item, text) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = item.url;
    form.className = "inline";
    item.fields.forEach(function (pair) {
      const input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    const csrf = document.createElement("input");
    csrf.type = "hidden"; csrf.name = "csrfmiddlewaretoken"; csrf.value = cookie("csrftoken") || item.csrf;
    form.appendChild(csrf);
    const button = document.createElement("button");
    button.type = "submit"; button.className = "button small"; button.textContent = text;
    form.appendChild(button);
    return form;
  }

  function say(message, item, outcome) {
    const p = document.createElement("p");
    p.className = "message offline-" + outcome;
    p.textContent = message + " ";
    if (item && outcome === "conflict") p.appendChild(reviewButton(item, "Compare and choose"));
    if (item && outcome === "invalid") p.appendChild(reviewButton(item, "Open it to fix"));
    banner().appendChild(p);
  }

  async function showWaiting(answered) {
    const items = (await LDNQueue.all()).filter(function (i) {
      return i.user === user && (answered || []).indexOf(i.key) < 0;
    });
    items.forEach(function (item) {
      if (item.state === "waiting") {
        say("Your check-in for " + LDNQueue.label(item) + " is kept on this device and is sent when you are back online.", item, "waiting");
      }
    });
  }

  // Show the server's answers; if the open check-in is of a day just saved, reload it so it
  // shows what is saved (the answers are carried over the reload).
  function present(answers, items) {
    answers.forEach(function (answer) {
      say(answer.message, items.find(function (i) { return i.key === answer.key; }), answer.outcome);
    });
    const form = document.getElementById("checkin");
    const mine = form && answers.filter(function (a) {
      return a.day === form.dataset.day && DONE.indexOf(a.outcome) >= 0;
    });
    if (mine && mine.length) {
      sessionStorage.setItem(CARRIED, JSON.stringify(mine.map(function (a) { return [a.message, a.outcome]; })));
      location.reload();
    }
  }

  async function showStored() {
    const stored = await LDNQueue.answers();
    for (const answer of stored) await LDNQueue.dropAnswer(answer.key);
    present(stored, await LDNQueue.all());
  }

  async function flush() {
    document.querySelectorAll("#offline-queue .offline-waiting").forEach(function (p) { p.remove(); });
    await showStored();
    if (!navigator.onLine) { await showWaiting(); return; }
    const answers = await LDNQueue.send({ user: user, csrf: cookie("csrftoken") });
    await showWaiting(answers.map(function (a) { return a.key; }));
    present(answers, await LDNQueue.all());
  }

  // Answers carried over that reload.
  const carried = JSON.parse(sessionStorage.getItem(CARRIED) || "[]");
  sessionStorage.removeItem(CARRIED);
  carried.forEach(function (pair) { say(pair[0], null, pair[1]); });

  // "Keep the one saved before" on the comparison page: that kept copy is set aside here too.
  document.addEventListener("submit", function (event) {
    const key = event.target.dataset && event.target.dataset.offlineDiscard;
    if (key) LDNQueue.remove(key);
  });
  window.addEventListener("online", flush);
  flush().catch(function (err) { console.warn("LDN: the offline queue could not be read", err); });
})();
