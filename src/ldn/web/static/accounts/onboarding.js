// Time-zone step: preselect the zone the browser reports (if it is in our list) and filter the
// list as the patient types a city or country. Without JavaScript the plain list still works.
(function () {
  "use strict";
  var select = document.getElementById("id_time_zone");
  var search = document.getElementById("zone-search");
  var note = document.getElementById("zone-detected");
  if (!select) { return; }
  var options = Array.prototype.slice.call(select.options);
  var detected = "";
  try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { detected = ""; }
  var match = options.filter(function (o) { return o.value === detected; })[0];
  if (match && select.dataset.confirmed !== "1") {
    select.value = detected;
    note.textContent = "Your device says " + match.textContent + ". Check it below, then save.";
    note.hidden = false;
  }
  if (search) {
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      var first = null;
      options.forEach(function (o) {
        var hit = !q || o.textContent.toLowerCase().indexOf(q) !== -1;
        o.hidden = !hit;
        if (hit && !first) { first = o; }
      });
      if (first && select.selectedOptions[0] && select.selectedOptions[0].hidden) { select.value = first.value; }
    });
  }
})();
