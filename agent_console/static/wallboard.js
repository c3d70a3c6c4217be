// The wallboard: figures from the server on (re)connect and after every event (coalesced).
(function () {
  "use strict";
  var pending = null;
  var format = new Intl.NumberFormat(document.documentElement.lang === "ar" ? "ar-EG" : "en");

  function put(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = format.format(value || 0);
  }

  function refresh() {
    pending = null;
    Shakwa.ask("wallboard", function (f) {
      if (!f || f.error) return;
      ["in_ivr", "waiting", "longest_wait", "sla_breached"].forEach(function (k) { put("wb-" + k, f[k]); });
      document.querySelectorAll("[id^=wb-agents-]").forEach(function (el) { put(el.id, f.agents[el.id.slice(10)]); });
      document.querySelectorAll("[id^=wb-cases-]").forEach(function (el) { put(el.id, f.cases[el.id.slice(9)]); });
      document.getElementById("board").dataset.at = f.at;
    });
  }

  Shakwa.on("*", function (_e, type) {
    if (type === "connect") { refresh(); return; }
    if (!pending) pending = window.setTimeout(refresh, 300);
  });
})();
