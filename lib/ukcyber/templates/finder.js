/* The recommendations explorer: filter the rows rendered in the page by each facet and by
   words. Filters narrow each other: each option's count is the number of rows it would show
   with the other filters as they are. The filters live in the page's address
   (#theme=…&actor=…&q=…), so a view can be bookmarked or shared and opens as it was left. The
   rows shown can be downloaded as a CSV built in the browser (a Blob: works from file:// with
   no server), named after the filters, with the same columns and quoting as the full CSV
   written beside the page. */
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
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var total = data.rows.length;
  var url = null;

  var haystacks = data.rows.map(function (row) {
    return [row.document, row.kind, row.theme, row.actor, row.instrument,
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

  function plural(n, one, many) { return n === 1 ? "1 " + one : n + " " + many; }

  function has(row, facet, value) {
    var cell = row[facet];
    return Array.isArray(cell) ? cell.indexOf(value) >= 0 : cell === value;
  }

  function matches(i, wanted, words, skip) {
    var row = data.rows[i];
    for (var f in wanted) {
      if (f !== skip && !has(row, f, wanted[f])) { return false; }
    }
    for (var w = 0; w < words.length; w++) {
      if (haystacks[i].indexOf(words[w]) < 0) { return false; }
    }
    return true;
  }

  function slug(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  }

  function state() {
    var wanted = {};
    selects.forEach(function (s) { if (s.value) { wanted[s.getAttribute("data-facet")] = s.value; } });
    return {wanted: wanted, words: text.value.toLowerCase().split(/\s+/).filter(Boolean)};
  }

  function recount(st) {
    // Each option says how many rows it would show with the other filters as they are.
    selects.forEach(function (s) {
      var facet = s.getAttribute("data-facet");
      var tally = {};
      data.rows.forEach(function (row, i) {
        if (!matches(i, st.wanted, st.words, facet)) { return; }
        (Array.isArray(row[facet]) ? row[facet] : [row[facet]]).forEach(function (v) {
          tally[v] = (tally[v] || 0) + 1;
        });
      });
      Array.prototype.forEach.call(s.options, function (o) {
        if (!o.value) { return; }
        var n = tally[o.value] || 0;
        o.textContent = o.getAttribute("data-label") + " (" + (n ? n : "none") + ")";
        o.disabled = n === 0 && o.value !== s.value;
      });
    });
  }

  function address(st) {
    var parts = [];
    selects.forEach(function (s) { if (s.value) { parts.push(s.getAttribute("data-facet") + "=" + encodeURIComponent(s.value)); } });
    if (text.value.trim()) { parts.push("q=" + encodeURIComponent(text.value.trim())); }
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (location.hash !== hash) {
      history.replaceState(null, "", hash || location.pathname + location.search);
    }
    var name = ["recommendations"].concat(selects.filter(function (s) { return s.value; }).map(function (s) { return slug(s.value); }));
    if (text.value.trim()) { name.push(slug(text.value.trim())); }
    return name.join("-") + ".csv";
  }

  function update() {
    var st = state();
    var shown = [];
    data.rows.forEach(function (row, i) {
      var ok = matches(i, st.wanted, st.words, null);
      items[i].hidden = !ok;
      if (ok) { shown.push(row); }
    });
    recount(st);
    var filtered = shown.length !== total;
    count.textContent = filtered
      ? (shown.length ? plural(shown.length, "recommendation or commitment", "recommendations and commitments") + " of " + total
                      : "None of the " + total + " recommendations and commitments") +
        (shown.length === 1 ? " matches" : " match") + " these filters."
      : total + " recommendations and commitments.";
    empty.hidden = shown.length > 0;
    if (url) { URL.revokeObjectURL(url); url = null; }
    var fileName = address(st);
    link.parentNode.hidden = shown.length === 0;
    if (shown.length) {
      url = URL.createObjectURL(new Blob([csv(shown)], {type: "text/csv;charset=utf-8"}));
      link.href = url;
      link.setAttribute("download", fileName);
      link.textContent = filtered
        ? "Download " + (shown.length === 1 ? "this row" : "these " + shown.length + " rows") + " (CSV)"
        : "Download all " + total + " rows (CSV)";
    }
    document.documentElement.setAttribute("data-finder", String(shown.length));
  }

  function restore() {
    // The filters from the page's address, each checked against the options there are.
    var params = {};
    location.hash.replace(/^#/, "").split("&").filter(Boolean).forEach(function (p) {
      var eq = p.indexOf("=");
      if (eq > 0) { params[p.slice(0, eq)] = decodeURIComponent(p.slice(eq + 1)); }
    });
    selects.forEach(function (s) {
      var wanted = params[s.getAttribute("data-facet")];
      var ok = wanted && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; });
      s.value = ok ? wanted : "";
    });
    text.value = params.q || "";
  }

  selects.forEach(function (s) {
    Array.prototype.forEach.call(s.options, function (o) {
      if (o.value) { o.setAttribute("data-label", o.value); }
    });
  });
  form.hidden = false;
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  window.addEventListener("hashchange", function () { restore(); update(); });
  restore();
  update();
})();
