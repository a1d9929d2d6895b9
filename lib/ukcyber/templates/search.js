/* Front-page search: narrow the list of reports to those whose title or settings contain
   every word typed (case and accents ignored), hide notebook sections left empty, and announce
   the count. The list is in the page, so it reads without this script; works from file://. */
(function () {
  "use strict";
  var box = document.getElementById("ukc-search");
  var input = document.getElementById("report-search");
  if (!box || !input) { return; }
  var count = document.getElementById("report-count");
  var empty = document.getElementById("report-empty");
  var entries = document.querySelectorAll(".ukc-entry");
  var groups = document.querySelectorAll(".ukc-group");

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Title and settings only (data-search), not the state or an error message.
  var texts = Array.prototype.map.call(entries, function (e) {
    return fold(e.getAttribute("data-search") || "");
  });

  function update() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(entries, function (e, i) {
      var ok = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      e.hidden = !ok;
      if (ok) { shown++; }
    });
    Array.prototype.forEach.call(groups, function (g) {
      g.hidden = !g.querySelector(".ukc-entry:not([hidden])");
    });
    count.textContent = words.length
      ? shown + " of " + entries.length + " reports match \u201c" + input.value.trim() + "\u201d."
      : entries.length + " reports.";
    empty.hidden = shown > 0;
  }

  box.hidden = false;
  input.addEventListener("input", update);
  update();
})();
