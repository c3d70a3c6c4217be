// The live-calls page: rebuilt from the server's state on every (re)connect, then moved by events.
(function () {
  "use strict";
  var calls = {}, queue = {};
  var ivrBody = document.getElementById("ivr-calls");
  var stepLabels = JSON.parse(ivrBody.dataset.stepLabels || "{}");
  var languageLabels = JSON.parse(ivrBody.dataset.languageLabels || "{}");
  var categoryLabels = JSON.parse(ivrBody.dataset.categoryLabels || "{}");
  var queueBody = document.getElementById("queue");
  var takeLabel = document.getElementById("take-label").innerHTML;
  var canTake = !!document.getElementById("my-state");

  function cell(row, text, cls) {
    var td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function ago(iso) { return Shakwa.clock((Date.now() - Date.parse(iso)) / 1000); }

  function render() {
    ivrBody.textContent = "";
    Object.keys(calls).forEach(function (id) {
      var c = calls[id], row = document.createElement("tr");
      row.id = "call-" + id;
      row.dataset.callId = id;
      cell(row, Shakwa.digits(c.uniqueid)).dir = "ltr";
      cell(row, languageLabels[c.language] || c.language || "", "language").lang = c.language || "";
      cell(row, stepLabels[c.step] || c.step || "", "step").dataset.step = c.step || "";
      cell(row, ago(c.started_at), "since").dataset.since = c.started_at;
      ivrBody.appendChild(row);
    });
    queueBody.textContent = "";
    Object.keys(queue).forEach(function (key) {
      var q = queue[key], row = document.createElement("tr");
      row.id = "queued-" + key;
      cell(row, Shakwa.digits(q.uniqueid || q.call_id)).dir = "ltr";
      cell(row, categoryLabels[q.category] || "");
      cell(row, ago(q.since), "since").dataset.since = q.since;
      var td = cell(row, "");
      if (canTake) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "take";
        button.textContent = takeLabel;
        button.addEventListener("click", function () { Shakwa.take(q.call_id, q.uniqueid, Shakwa.unsaved()); });
        td.appendChild(button);
      }
      queueBody.appendChild(row);
    });
    document.getElementById("ivr-count").textContent = Shakwa.number(Object.keys(calls).length);
    document.getElementById("queue-count").textContent = Shakwa.number(Object.keys(queue).length);
  }

  function key(event) { return String(event.call_id || (event.payload || {}).uniqueid); }

  Shakwa.on("connect", function () {
    Shakwa.ask("sync", function (state) {
      if (!state || state.error) return;
      calls = {}; queue = {};
      (state.calls || []).forEach(function (c) { calls[c.call_id] = c; });
      (state.queue || []).forEach(function (q) { queue[String(q.call_id || q.uniqueid)] = q; });
      render();
    });
  });
  Shakwa.on("call.started", function (e) {
    calls[e.call_id] = { call_id: e.call_id, uniqueid: e.payload.uniqueid,
                         language: e.payload.language, started_at: e.at, step: "" };
    render();
  });
  Shakwa.on("call.step", function (e) {
    var c = calls[e.call_id];
    if (c && (e.payload.seq || 0) >= (c.seq || 0)) { c.step = e.payload.step; c.seq = e.payload.seq; render(); }
  });
  Shakwa.on("call.queued", function (e) {
    var c = calls[e.call_id] || {};
    delete calls[e.call_id];
    queue[key(e)] = { call_id: e.call_id, uniqueid: c.uniqueid || e.payload.uniqueid,
                      since: e.at, category: e.payload.category, case_id: e.case_id };
    render();
  });
  Shakwa.on("queue.caller_join", function (e) {
    if (!queue[key(e)]) {
      queue[key(e)] = { call_id: e.call_id, uniqueid: e.payload.uniqueid, since: e.at };
      render();
    }
  });
  ["call.hung_up", "call.ended"].forEach(function (type) {
    Shakwa.on(type, function (e) { delete calls[e.call_id]; render(); });
  });
  ["queue.agent_connect", "queue.caller_abandon"].forEach(function (type) {
    Shakwa.on(type, function (e) {
      Object.keys(queue).forEach(function (k) {
        var q = queue[k];
        if ((e.call_id && q.call_id === e.call_id) || (e.payload.uniqueid && q.uniqueid === e.payload.uniqueid)) {
          delete queue[k];
        }
      });
      render();
    });
  });
  var workCount = document.getElementById("work-count"), pendingCount = null;
  Shakwa.on("*", function (_e, type) {
    if (!workCount || type.indexOf("case.") !== 0 || pendingCount) return;
    pendingCount = window.setTimeout(function () {
      pendingCount = null;
      fetch("/work.json", { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (f) { workCount.textContent = Shakwa.number(f.waiting); });
    }, 500);
  });
  window.setInterval(function () {
    document.querySelectorAll("td.since").forEach(function (td) { td.textContent = ago(td.dataset.since); });
  }, 1000);
})();
