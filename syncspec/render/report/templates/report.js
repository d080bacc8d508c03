// Filters and search for the syncspec report. Everything is in the HTML already; this only hides.
(function () {
  "use strict";
  var tools = document.getElementById("tools");
  if (!tools) { return; }
  tools.hidden = false;
  var search = document.getElementById("search");
  var byConnection = document.getElementById("filter-connection");
  var byActor = document.getElementById("filter-actor");
  var changedOnly = document.getElementById("filter-changed");
  var count = document.getElementById("search-count");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.connection"));
  var actors = Array.prototype.slice.call(document.querySelectorAll("section.actor"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("section.actor tbody tr, ol.tab li"));
  var texts = null;  // lower-cased row texts, read once on the first search

  function marked(row) {
    return row.querySelector(".marks") !== null || row.className.indexOf("st-") >= 0;
  }

  function apply() {
    var connection = byConnection.value;
    var actor = byActor.value;
    var needle = search.value.trim().toLowerCase();
    var onlyChanged = changedOnly.checked;
    if (needle && texts === null) {
      texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    }
    sections.forEach(function (s) {
      s.classList.toggle("is-filtered", connection !== "" && s.dataset.connection !== connection);
    });
    actors.forEach(function (s) {
      s.classList.toggle("is-filtered", actor !== "" && s.dataset.actor !== actor);
    });
    var shown = 0;
    rows.forEach(function (row, index) {
      var hide = (needle !== "" && texts[index].indexOf(needle) < 0) || (onlyChanged && !marked(row));
      row.classList.toggle("is-filtered", hide);
      if (!hide) { shown += 1; }
    });
    count.value = (needle || onlyChanged) ? shown + " rows match" : "";
  }

  function openAll(open) {
    document.querySelectorAll("details").forEach(function (d) { d.open = open; });
  }

  var timer = 0;
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
  [byConnection, byActor, changedOnly].forEach(function (el) { el.addEventListener("change", apply); });
  document.getElementById("expand-all").addEventListener("click", function () { openAll(true); });
  document.getElementById("collapse-all").addEventListener("click", function () { openAll(false); });
  window.addEventListener("beforeprint", function () { openAll(true); });
})();
