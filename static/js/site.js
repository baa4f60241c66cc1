// Small improvements for readers with JavaScript; every page works without it.
(function () {
  "use strict";

  // <time class="relative" datetime="..."> shows the server-rendered date; make it relative.
  function relativeTimes() {
    if (!window.Intl || !Intl.RelativeTimeFormat) return;
    var lang = document.documentElement.lang || "de";
    var format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
    document.querySelectorAll("time.relative[datetime]").forEach(function (el) {
      var then = Date.parse(el.getAttribute("datetime"));
      if (isNaN(then)) return;
      var seconds = Math.round((then - Date.now()) / 1000);
      if (!el.title) el.title = el.textContent.trim();
      for (var i = 0; i < units.length; i++) {
        if (Math.abs(seconds) >= units[i][1]) {
          el.textContent = format.format(Math.round(seconds / units[i][1]), units[i][0]);
          return;
        }
      }
      el.textContent = format.format(0, "minute");
    });
  }

  document.addEventListener("DOMContentLoaded", relativeTimes);
})();
