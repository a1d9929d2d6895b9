/* Report pages load this file, which every build rewrites: when the page's report is out of date
   or failed at the last build, put a banner under its title. Text is set with textContent only. */
(function () {
  "use strict";
  var box = document.getElementById("ukc-status");
  var status = window.UKCYBER_STATUS;
  if (!box || !status || !status.reports) { return; }
  var mine = status.reports[box.getAttribute("data-key")];
  if (!mine) { return; }
  var banner = document.createElement("p");
  banner.className = "ukc-banner ukc-banner-" + mine.state;
  var head = document.createElement("strong");
  head.textContent = mine.text.replace(/\.$/, "") + ".";
  banner.appendChild(head);
  banner.appendChild(document.createTextNode(
    " This page was built from older inputs and may not match the current data or the other " +
    "reports. "));
  var home = document.createElement("a");
  home.href = box.getAttribute("data-home") || "../index.html";
  home.textContent = "See which reports are up to date";
  banner.appendChild(home);
  box.appendChild(banner);
  box.hidden = false;
  document.documentElement.setAttribute("data-report-state", mine.state);
})();
