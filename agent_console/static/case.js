// The case page: the transcript as soon as the worker announces it, the routing suggestion that
// follows category and governorate live, the call timer, and the unsaved-work flag the screen
// pop reads (Shakwa.unsaved) so that a call never takes the agent away from typed text.
(function () {
  "use strict";
  var caseId = Number(document.getElementById("case").dataset.caseId);
  var box = document.getElementById("transcript");
  var form = document.getElementById("case-form");
  var routing = document.getElementById("routing");
  var entity = document.getElementById("entity_id");
  var suggested = document.getElementById("suggested");
  var chosenByHand = false, dirty = false;

  function load() {
    fetch("/cases/" + caseId + "/transcript", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (t) { if (t.text && box) { box.textContent = t.text; box.dataset.ready = "1"; } });
  }
  Shakwa.on("transcript.ready", function (e) { if (e.case_id === caseId) load(); });

  var asked = 0;
  function suggest() {
    if (!routing) return;
    var query = new URLSearchParams({ category: form.category.value, governorate: form.governorate.value });
    var mine = ++asked;
    fetch(routing.dataset.url + "?" + query, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (mine !== asked) return;  // an answer to an older choice, overtaken by a newer one
        suggested.textContent = s.name;
        suggested.dataset.entity = s.entity_id || "";
        suggested.dataset.certain = s.certain ? "1" : "0";
        if (!chosenByHand && s.entity_id) entity.value = String(s.entity_id);
      });
  }

  if (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function (e) {
      dirty = true;
      if (e.target === entity) chosenByHand = true;
      if (e.target.name === "category" || e.target.name === "governorate") suggest();
    });
    form.addEventListener("submit", function () { dirty = false; });
  }
  Shakwa.unsaved = function () { return dirty; };

  var timer = document.getElementById("call-timer");
  if (timer) {
    var since = Date.parse(timer.dataset.since);
    var tick = function () { timer.textContent = Shakwa.clock((Date.now() - since) / 1000); };
    tick();
    window.setInterval(tick, 1000);
  }
})();
