// Offline-tolerant check-in: a save that cannot reach the server keeps what was typed
// on this device and says so; the draft comes back when the page is opened again.
(function () {
  const form = document.getElementById("checkin");
  if (!form) return;
  const key = "ldn-checkin-draft-" + form.dataset.day;
  const status = document.getElementById("offline-status");

  function fields() {
    return Array.from(form.elements).filter((el) => el.name && el.name !== "csrfmiddlewaretoken");
  }
  function saveDraft() {
    const data = {};
    fields().forEach((el) => {
      if (el.type === "radio" || el.type === "checkbox") {
        data[el.name] = data[el.name] || [];
        if (el.checked) data[el.name].push(el.value);
      } else {
        data[el.name] = [el.value];
      }
    });
    localStorage.setItem(key, JSON.stringify(data));
  }
  function restoreDraft() {
    const raw = localStorage.getItem(key);
    if (!raw) return;
    const data = JSON.parse(raw);
    fields().forEach((el) => {
      const values = data[el.name];
      if (!values) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.includes(el.value);
      else el.value = values[0];
    });
    status.textContent = "Restored what you typed earlier but could not save. Press Save check-in to save it now.";
  }

  restoreDraft();
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    saveDraft();
    let response;
    try {
      response = await fetch(form.action || location.href, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
      });
    } catch (err) {
      status.textContent = "Not saved: the server cannot be reached (are you offline?). " +
        "What you typed is kept on this device; press Save check-in again when you are back online.";
      return;
    }
    if (response.status >= 500) {
      status.textContent = "Not saved: the server had a problem (" + response.status + "). " +
        "What you typed is kept on this device; try again in a moment.";
      return;
    }
    localStorage.removeItem(key);
    const html = await response.text();
    document.open(); document.write(html); document.close();
    if (response.redirected) history.replaceState(null, "", response.url);
  });
})();
