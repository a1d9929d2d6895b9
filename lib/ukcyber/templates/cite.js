/* "How to cite": the access date is the day the reader opens the page (the build's date
   stays in the page for readers without scripts). */
(function () {
  "use strict";
  var months = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
  var now = new Date();
  var today = now.getDate() + " " + months[now.getMonth()] + " " + now.getFullYear();
  Array.prototype.forEach.call(document.querySelectorAll(".ukc-accessed"), function (el) {
    el.textContent = today;
  });
})();
