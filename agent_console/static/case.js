// The case page: the transcript appears as soon as the worker announces it.
(function () {
  "use strict";
  var caseId = Number(document.getElementById("case").dataset.caseId);
  var box = document.getElementById("transcript");

  function load() {
    fetch("/cases/" + caseId + "/transcript", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (t) { if (t.text) { box.textContent = t.text; box.dataset.ready = "1"; } });
  }
  Shakwa.on("transcript.ready", function (e) { if (e.case_id === caseId) load(); });
  Shakwa.on("recording.saved", function (e) {
    if (e.case_id === caseId) document.getElementById("recording-status").textContent = "stored";
  });
})();
