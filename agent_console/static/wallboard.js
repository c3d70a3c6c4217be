// The wallboard: figures from the server on (re)connect and after every event (coalesced);
// times in state tick here; the calls-per-hour chart is drawn as SVG (no inline style: CSP).
(function () {
  "use strict";
  var pending = null;
  var SVG = "http://www.w3.org/2000/svg";
  var rows = document.getElementById("agent-rows");
  var states = JSON.parse(rows.dataset.states), reasons = JSON.parse(rows.dataset.reasons);
  var percent = document.documentElement.lang === "ar" ? "٪" : "%";

  // A big Arabic zero is a dot in most fonts: it is drawn as a visible diamond (text kept).
  function figure(el, text) {
    el.textContent = "";
    String(text).split("").forEach(function (ch) {
      if (ch === "٠") {
        var zero = document.createElement("span");
        zero.className = "zero";
        zero.textContent = ch;
        el.appendChild(zero);
      } else {
        el.appendChild(document.createTextNode(ch));
      }
    });
  }

  function put(id, value, unit) {
    var el = document.getElementById(id);
    if (!el) return;
    var text;
    if (value == null) text = "—";
    else if (unit === "clock") text = Shakwa.clock(value);
    else if (unit === "percent") text = Shakwa.number(value) + percent;
    else text = Shakwa.number(value);
    figure(el, text);
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function chart(counts) {
    var box = document.getElementById("per-hour");
    var top = Math.max.apply(null, counts.concat([1]));
    var W = 720, H = 220, left = 36, bottom = 30, bar = (W - left - 8) / 24;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", class: "chart hourly-chart",
                          width: "100%", "aria-label": box.dataset.title });
    el("title", {}, svg).textContent = box.dataset.title;
    counts.forEach(function (n, hour) {
      // Hours run left to right in both languages, as a clock's time line does.
      var x = left + hour * bar, h = Math.round((H - bottom - 16) * n / top);
      var g = el("g", { class: "hour", "data-hour": hour, "data-count": n }, svg);
      el("rect", { x: x + 2, y: H - bottom - h, width: bar - 4, height: h, fill: "#2f6f8f" }, g);
      if (n) el("text", { x: x + bar / 2, y: H - bottom - h - 4, "text-anchor": "middle", "font-size": 12 }, g)
        .textContent = Shakwa.number(n);
      if (hour % 3 === 0) el("text", { x: x + bar / 2, y: H - 10, "text-anchor": "middle", "font-size": 12 }, g)
        .textContent = Shakwa.digits(String(hour).padStart(2, "0"));
    });
    box.textContent = "";
    box.appendChild(svg);
  }

  function agents(people) {
    rows.textContent = "";
    people.forEach(function (a) {
      var tr = document.createElement("tr");
      tr.dataset.agent = a.id;
      tr.className = "state-" + a.state;
      [a.name, Shakwa.digits(a.extension || "—")].forEach(function (text, i) {
        var td = document.createElement("td");
        var bdi = document.createElement("bdi");
        if (i === 0) bdi.setAttribute("translate", "no"); else bdi.dir = "ltr";
        bdi.textContent = text;
        td.appendChild(bdi);
        tr.appendChild(td);
      });
      var state = document.createElement("td");
      state.className = "state";
      state.textContent = states[a.state] + (a.state === "paused" && a.reason ? " (" + (reasons[a.reason] || a.reason) + ")" : "");
      tr.appendChild(state);
      var since = document.createElement("td");
      since.className = "since";
      since.dataset.since = a.since;
      tr.appendChild(since);
      rows.appendChild(tr);
    });
    tick();
  }

  function tick() {
    rows.querySelectorAll("td.since").forEach(function (td) {
      td.textContent = Shakwa.clock((Date.now() - Date.parse(td.dataset.since)) / 1000);
    });
  }

  function refresh() {
    pending = null;
    Shakwa.ask("wallboard", function (f) {
      if (!f || f.error) return;
      ["in_ivr", "waiting", "abandoned", "answered", "work_queue", "sla_breached"].forEach(function (k) { put("wb-" + k, f[k]); });
      ["longest_wait", "asa", "aht"].forEach(function (k) { put("wb-" + k, f[k], "clock"); });
      put("wb-service_level", f.service_level, "percent");
      document.querySelectorAll("[id^=wb-agents-]").forEach(function (e) { put(e.id, f.agents[e.id.slice(10)] || 0); });
      document.querySelectorAll("[id^=wb-cases-]").forEach(function (e) { put(e.id, f.cases[e.id.slice(9)] || 0); });
      chart(f.per_hour);
      agents(f.people);
      document.getElementById("board").dataset.at = f.at;
    });
  }

  document.querySelectorAll(".figure").forEach(function (e) { figure(e, e.textContent); });
  chart(JSON.parse(document.getElementById("per-hour").dataset.counts));
  tick();
  window.setInterval(tick, 1000);
  Shakwa.on("*", function (_e, type) {
    if (type === "connect") { refresh(); return; }
    if (!pending) pending = window.setTimeout(refresh, 300);
  });
})();
