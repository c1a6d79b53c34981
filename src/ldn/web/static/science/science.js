// The dose slider of "How LDN works": redraws the chart from the JSON payload in the page.
(function () {
  var data = JSON.parse(document.getElementById("science-curves").textContent);
  var range = document.getElementById("dose-range"), select = document.getElementById("dose-select");
  function el(id) { return document.getElementById(id); }
  function pts(xs, ys) { return xs.map(function (x, i) { return x + "," + ys[i]; }); }
  function line(ys) { return ys.length ? "M" + pts(data.xs, ys).join("L") : ""; }
  function band(lo, hi) {
    var back = pts(data.xs, lo).reverse();
    return "M" + pts(data.xs, hi).join("L") + "L" + back.join("L") + "Z";
  }
  function draw(k) {
    var d = data.doses[k];
    d.panels.forEach(function (p, i) {
      el("band-" + i).setAttribute("d", band(p.lo, p.hi));
      el("median-" + i).setAttribute("d", line(p.median));
      p.ticks.forEach(function (t, j) { el("tick-" + i + "-" + j).textContent = t; });
    });
    el("ref").setAttribute("d", line(d.ref));
    el("ref-legend").hidden = !d.ref.length;
    el("scale-note").hidden = !d.rescaled;
    el("chart-title").textContent = d.title;
    el("chart-desc").textContent = d.summary.join(" ");
    el("dose-output").textContent = d.label;
    range.setAttribute("aria-valuetext", d.label);
    document.querySelectorAll(".dose-name").forEach(function (n) { n.textContent = d.label; });
    el("dose-summary").querySelectorAll("li").forEach(function (li, i) { li.textContent = d.summary[i]; });
    el("science-table").tBodies[0].querySelectorAll("tr").forEach(function (tr, i) {
      var r = d.rows[i], occ = tr.cells[3].querySelectorAll("span");
      tr.cells[1].textContent = r[0]; tr.cells[2].textContent = r[1];
      occ[0].textContent = r[2]; occ[1].textContent = r[3];
    });
    select.value = select.options[k].value;
    history.replaceState(null, "", "?dose=" + select.value);
  }
  range.addEventListener("input", function () { draw(Number(range.value)); });
  el("dose-form").hidden = true;
  el("dose-slider").hidden = false;
})();
