// The check-in saves without leaving the page. Offline (or when the server cannot be reached)
// the answers are kept on this device in the offline queue (static/pwa/queue.js) and sent when
// the connection returns: by Background Sync where the browser has it, else at the next page
// load. Each save carries a key of its own, so the server never stores it twice.
(function () {
  const form = document.getElementById("checkin");
  if (!form) return;
  const status = document.getElementById("offline-status");
  const keyField = form.elements.client_key;
  const userMeta = document.querySelector('meta[name="ldn-user"]');
  const user = userMeta ? userMeta.content : "";
  const dayUrl = form.dataset.dayUrl;

  function newKey() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  if (keyField && !keyField.value) keyField.value = newKey();

  function fields() {
    return Array.from(new FormData(form).entries()).filter((pair) => pair[0] !== "csrfmiddlewaretoken");
  }
  function restore(pairs) {
    Array.from(form.elements).forEach((el) => {
      if (!el.name || el.name === "csrfmiddlewaretoken") return;
      const values = pairs.filter((p) => p[0] === el.name).map((p) => p[1]);
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.includes(el.value);
      else if (values.length) el.value = values[0];
      else if (el.type !== "hidden") el.value = "";
    });
  }

  // A check-in of this day still waiting on this device: show it, so nothing seems lost.
  if (self.LDNQueue && user) {
    LDNQueue.all().then((items) => {
      const waiting = items.filter((i) => i.user === user && i.day === form.dataset.day && i.state === "waiting");
      if (!waiting.length) return;
      restore(waiting[waiting.length - 1].fields);
      status.textContent = "This check-in is kept on this device and is sent when you are back online. " +
        "You can still change it and press Save check-in.";
    });
  }

  async function keep(reason) {
    if (!self.LDNQueue || !user) {
      status.textContent = "Not saved: " + reason + " Press Save check-in again when you are back online.";
      return;
    }
    await LDNQueue.add({
      key: keyField.value, user: user, day: form.dataset.day, url: dayUrl, fields: fields(),
      csrf: form.elements.csrfmiddlewaretoken.value, savedAt: Date.now(), state: "waiting",
    });
    keyField.value = newKey();  // a later change is a new save, replacing this one in the queue
    status.textContent = "Not sent yet: " + reason + " What you typed is kept on this device and " +
      "is sent by itself when you are back online.";
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.ready
        .then((registration) => registration.sync && registration.sync.register("ldn-checkins"))
        .catch(() => null);  // no Background Sync: the next page load sends it
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (!navigator.onLine) {
      await keep("this device is offline.");
      return;
    }
    let response;
    try {
      response = await fetch(dayUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    } catch (err) {
      await keep("the server cannot be reached (are you offline?).");
      return;
    }
    if (response.status >= 500) {
      await keep("the server had a problem (" + response.status + ").");
      return;
    }
    const html = await response.text();
    document.open(); document.write(html); document.close();
    if (response.redirected) history.replaceState(null, "", response.url);
  });
})();
