// The work queue: its rows are fetched again when a case is created, routed or changes status.
(function () {
  "use strict";
  var rows = document.getElementById("work-rows"), pending = null;

  function refresh() {
    pending = null;
    fetch("/work?part=rows", { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) { rows.innerHTML = html; rows.dataset.refreshed = String(Date.now()); });
    fetch("/work.json", { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (f) { document.getElementById("work-total").textContent = Shakwa.number(f.waiting); });
  }
  Shakwa.on("*", function (_e, type) {
    if (type.indexOf("case.") === 0 && !pending) pending = window.setTimeout(refresh, 400);
  });
})();
