// Shows upload progress for large files; the server then checks the whole file before saving anything.
(function () {
  const form = document.getElementById("import-form");
  if (!form || !window.XMLHttpRequest) return;
  form.addEventListener("submit", function (event) {
    const file = form.querySelector("input[type=file]");
    if (!file || !file.files.length) return; // let the server explain what is missing
    event.preventDefault();
    const box = document.getElementById("upload-progress");
    const bar = document.getElementById("upload-bar");
    const state = document.getElementById("upload-state");
    box.hidden = false;
    const xhr = new XMLHttpRequest();
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      state.textContent = bar.value + "% uploaded";
    });
    xhr.upload.addEventListener("load", function () { bar.removeAttribute("value"); state.textContent = "Checking every row…"; });
    xhr.addEventListener("load", function () {
      // A checked file lands on its own preview page (a reload shows it again); a form error
      // comes back on this page.
      if (xhr.responseURL && xhr.responseURL !== location.href) { location.assign(xhr.responseURL); return; }
      document.open(); document.write(xhr.responseText); document.close();
    });
    xhr.addEventListener("error", function () { state.textContent = "Upload failed: the server cannot be reached. Nothing was imported; try again."; });
    xhr.open("POST", form.action || location.href);
    xhr.send(new FormData(form));
  });
})();
