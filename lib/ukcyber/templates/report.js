/* Draw every chart of a report page with the local plotly.js, offline.
   Each chart's JSON (script.ukc-plot-data) holds plotly's data, layout and config, and a
   "narrow" layout used when the chart is under 600 px wide (a phone). After drawing, the
   figure grows if a legend or long labels left the plot area under half of its height. */
(function () {
  "use strict";
  var NARROW = 600;
  var charts = [];

  function merge(base, extra) {
    var out = {}, key;
    for (key in base) { out[key] = base[key]; }
    for (key in extra) {
      var a = out[key], b = extra[key];
      out[key] = (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) ? merge(a, b) : b;
    }
    return out;
  }

  function layoutFor(chart) {
    var titled = (chart.spec.layout.annotations || []).length > 0;
    var layout = merge(chart.spec.layout, titled ? {title: {text: ""}} : {title: {text: ""}, margin: {t: 16}});
    delete layout.height;
    layout.height = chart.spec.layout.height || 420;
    if (chart.el.clientWidth < NARROW) {
      layout = merge(layout, merge({font: {size: 12}, margin: {l: 4, r: 8}}, chart.spec.narrow || {}));
    }
    return layout;
  }

  function keepPlotArea(gd) {
    // The plot area must stay at least 200 px and half the figure tall: grow the figure if not.
    var full = gd._fullLayout, plot = full._size.h, height = full.height;
    if (plot >= 200 && plot >= 0.5 * height) { return Promise.resolve(gd); }
    var grow = Math.max(200 - plot, height - 2 * plot) + 8;
    return Plotly.relayout(gd, {height: height + grow}).then(function () { return gd; });
  }

  function config(chart) {
    var svg = {
      name: "Download plot as SVG",
      icon: Plotly.Icons.camera,
      click: function (gd) { Plotly.downloadImage(gd, {format: "svg", filename: chart.el.id}); }
    };
    return merge(chart.spec.config || {}, {modeBarButtonsToAdd: [svg], displaylogo: false, showSendToCloud: false});
  }

  function wrapName(text, width) {
    // Legend entries do not wrap by themselves: break long names onto lines of `width` characters.
    if (!text || text.length <= width || text.indexOf("<br>") >= 0) { return text; }
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    return lines.concat([line]).join("<br>");
  }

  function dataFor(chart) {
    var width = chart.narrow ? 40 : 90;
    return chart.spec.data.map(function (trace) { return merge(trace, {name: wrapName(trace.name, width)}); });
  }

  var PRINT_PAGE = 900;  // CSS px of an A4 page's printable height, roughly
  function markTall(gd) {
    // In print, a chart taller than a page may split across pages (the stylesheet keeps the
    // others whole); marked after drawing, when its height is known.
    if (gd._fullLayout && gd._fullLayout.height > PRINT_PAGE) { gd.classList.add("ukc-plot-tall"); }
    return gd;
  }

  function draw(chart) {
    chart.narrow = chart.el.clientWidth < NARROW;
    return Plotly.react(chart.el, dataFor(chart), layoutFor(chart), config(chart)).then(keepPlotArea).then(markTall);
  }

  var blocks = document.querySelectorAll("script.ukc-plot-data");
  var drawing = [];
  for (var i = 0; i < blocks.length; i++) {
    var el = document.getElementById(blocks[i].getAttribute("data-target"));
    try {
      if (typeof Plotly === "undefined") { throw new Error("plotly.js did not load from the assets folder"); }
      var chart = {el: el, spec: JSON.parse(blocks[i].textContent)};
      charts.push(chart);
      drawing.push(draw(chart));
    } catch (err) {
      el.className += " ukc-plot-error";
      el.textContent = "Chart could not be drawn: " + err.message + ". Its data is in the table below.";
    }
  }
  Promise.all(drawing).then(function () { document.documentElement.setAttribute("data-charts", "drawn"); },
                            function () { document.documentElement.setAttribute("data-charts", "failed"); });

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      charts.forEach(function (chart) {
        if ((chart.el.clientWidth < NARROW) !== chart.narrow) { draw(chart); }
        else { Plotly.Plots.resize(chart.el).then(function () { return keepPlotArea(chart.el); }); }
      });
    }, 150);
  });
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (chart) { Plotly.relayout(chart.el, {width: chart.el.parentNode.clientWidth}); });
  });
})();
