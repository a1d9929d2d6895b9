/* Front-page search: narrow the figure pages and the reports to those whose words contain
   every word typed, each as the start of a word (case and accents ignored: "ai" finds
   "AI", never "Ukraine"). A figure page's words are its title, topic, definition and common
   synonyms ("jobs" finds employment); a report's are its title, settings and the words of the
   figures it shows. Empty groups are hidden and the count is announced. Both lists are in the
   page, so it reads without this script; works from file://. */
(function () {
  "use strict";
  var box = document.getElementById("ukc-search");
  var input = document.getElementById("report-search");
  if (!box || !input) { return; }
  var count = document.getElementById("report-count");
  var empty = document.getElementById("report-empty");
  var figures = document.querySelectorAll(".ukc-figure-entry");
  var reports = document.querySelectorAll(".ukc-entry");
  var groups = document.querySelectorAll(".ukc-group");
  var all = Array.prototype.slice.call(figures).concat(Array.prototype.slice.call(reports));

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function plural(n, one, many) { return n === 0 ? "no " + many : n + " " + (n === 1 ? one : many); }

  // Each entry's words, each preceded by a space so " word" finds a word's start.
  var texts = all.map(function (e) {
    return " " + fold(e.getAttribute("data-search") || e.textContent).split(/[^a-z0-9]+/).join(" ");
  });

  function update() {
    var words = fold(input.value).split(/[^a-z0-9]+/).filter(Boolean);
    var shown = {figures: 0, reports: 0};
    all.forEach(function (e, i) {
      var ok = words.every(function (w) { return texts[i].indexOf(" " + w) >= 0; });
      e.hidden = !ok;
      if (ok) { shown[e.classList.contains("ukc-figure-entry") ? "figures" : "reports"]++; }
    });
    Array.prototype.forEach.call(groups, function (g) {
      g.hidden = !g.querySelector(".ukc-entry:not([hidden]), .ukc-figure-entry:not([hidden])");
    });
    var totals = plural(figures.length, "figure page", "figure pages") + " and " + plural(reports.length, "report", "reports");
    count.textContent = words.length
      ? plural(shown.figures, "figure page", "figure pages") + " and " + plural(shown.reports, "report", "reports") +
        " of " + totals + " match \u201c" + input.value.trim() + "\u201d."
      : totals + ".";
    empty.hidden = shown.figures + shown.reports > 0;
  }

  box.hidden = false;
  input.addEventListener("input", update);
  update();
})();
