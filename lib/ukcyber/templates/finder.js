/* The recommendations explorer: filter the rows rendered in the page by each facet and by
   words, announce how many are shown, and offer the rows shown as a CSV built in the browser
   (a Blob and an object URL: works from file:// with no server). The CSV has the same columns
   and quoting as the full CSV written beside the page. */
(function () {
  "use strict";
  var form = document.getElementById("ukc-filters");
  var dataBlock = document.getElementById("finder-data");
  if (!form || !dataBlock) { return; }
  var data = JSON.parse(dataBlock.textContent);
  var items = document.querySelectorAll("#finder-rows > li");
  var count = document.getElementById("finder-count");
  var empty = document.getElementById("finder-empty");
  var link = document.getElementById("finder-download");
  var text = document.getElementById("finder-text");
  var selects = form.querySelectorAll("select[data-facet]");
  var total = data.rows.length;
  var url = null;

  var haystacks = data.rows.map(function (row) {
    return [row.id, row.document, row.kind, row.theme, row.actor, row.instrument,
            row.countries.join(" "), row.summary, row.source, row.locator].join(" \u0001 ").toLowerCase();
  });

  function field(value) {
    var s = value === null || value === undefined ? "" : String(value);
    return /[",\r\n]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
  }

  function csv(rows) {
    var lines = [data.columns.map(field).join(",")];
    rows.forEach(function (row) {
      lines.push(data.columns.map(function (c) { return field(row[c]); }).join(","));
    });
    return "\ufeff" + lines.join("\n") + "\n";
  }

  function matches(row, i, wanted, words) {
    for (var f in wanted) {
      var value = row[f];
      if (Array.isArray(value) ? value.indexOf(wanted[f]) < 0 : value !== wanted[f]) { return false; }
    }
    for (var w = 0; w < words.length; w++) {
      if (haystacks[i].indexOf(words[w]) < 0) { return false; }
    }
    return true;
  }

  function update() {
    var wanted = {};
    Array.prototype.forEach.call(selects, function (s) { if (s.value) { wanted[s.getAttribute("data-facet")] = s.value; } });
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = [];
    data.rows.forEach(function (row, i) {
      var ok = matches(row, i, wanted, words);
      items[i].hidden = !ok;
      if (ok) { shown.push(row); }
    });
    var filtered = shown.length !== total;
    count.textContent = filtered
      ? shown.length + " of " + total + " recommendations and commitments match these filters."
      : total + " recommendations and commitments.";
    empty.hidden = shown.length > 0;
    if (url) { URL.revokeObjectURL(url); }
    url = URL.createObjectURL(new Blob([csv(shown)], {type: "text/csv;charset=utf-8"}));
    link.href = url;
    link.textContent = filtered ? "Download these " + shown.length + " rows (CSV)" : "Download these rows (CSV)";
    document.documentElement.setAttribute("data-finder", String(shown.length));
  }

  form.hidden = false;
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  update();
})();
