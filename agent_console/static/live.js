// The one Socket.IO connection of a console page. Pages listen with Shakwa.on(type, fn).
// Also what every page shares: digits in the page's language, keyboard shortcuts, and the screen
// pop, which announces a call (banner and tone) and opens it only when the agent accepts.
(function () {
  "use strict";
  var handlers = {};
  var socket = io("/live", { transports: ["websocket", "polling"] });
  var status = document.getElementById("live-status");
  var me = document.body.dataset;
  var arabic = document.documentElement.lang === "ar";
  var numbers = new Intl.NumberFormat(arabic ? "ar-EG" : "en");
  var EASTERN = "٠١٢٣٤٥٦٧٨٩";

  function setStatus(online) {
    if (!status) return;
    status.textContent = online ? status.dataset.online : status.dataset.offline;
    status.className = "live-status " + (online ? "online" : "offline");
    document.body.dataset.live = online ? "1" : "0";
  }

  function dispatch(type, event) {
    (handlers[type] || []).concat(handlers["*"] || []).forEach(function (fn) { fn(event, type); });
  }

  socket.on("connect", function () { setStatus(true); dispatch("connect", {}); });
  socket.on("disconnect", function () { setStatus(false); });
  socket.on("connect_error", function () { setStatus(false); });
  socket.onAny(function (type, event) { dispatch(type, event); });

  function csrf() { return document.querySelector("meta[name=csrf-token]").content; }

  function digits(text) {
    text = text == null ? "" : String(text);
    return arabic ? text.replace(/[0-9]/g, function (d) { return EASTERN[d]; }) : text;
  }

  // --- the screen pop ---------------------------------------------------------------------------
  var pop = document.getElementById("pop");
  var offered = null;

  function tone() {
    // A short two-note chime; a browser that refuses sound before a click still shows the banner.
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      var audio = new Context();
      [0, 0.25].forEach(function (at, i) {
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.frequency.value = i ? 660 : 880;
        gain.gain.value = 0.15;
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(audio.currentTime + at);
        osc.stop(audio.currentTime + at + 0.2);
      });
      pop.dataset.sounded = audio.state;
    } catch (e) {
      pop.dataset.sounded = "unavailable";
    }
  }

  function mine(event) {
    var agent = String((event.payload || {}).agent || "");
    return me.extension && (agent === me.extension || agent.split("/").pop() === me.extension);
  }

  function announce(event) {
    // Paused or in wrap-up: the agent is not taking calls, so nothing pops.
    if (!pop || ["available", "on_call"].indexOf(me.agentState) < 0) return;
    offered = { callId: event.call_id, uniqueid: (event.payload || {}).uniqueid };
    var held = (event.payload || {}).hold_time;
    document.getElementById("pop-caller").textContent = held == null ? "" : pop.dataset.waited + " " + window.Shakwa.clock(held);
    document.getElementById("pop-error").textContent = "";
    document.getElementById("pop-unsaved").hidden = !window.Shakwa.unsaved();
    pop.hidden = false;
    pop.dataset.callId = offered.callId || "";
    tone();
  }

  socket.on("queue.agent_connect", function (event) { if (mine(event)) announce(event); });
  socket.on("agent.state", function (event) {
    if (String((event.payload || {}).user_id) === me.user) me.agentState = event.payload.state;
  });

  if (pop) {
    document.getElementById("pop-accept").addEventListener("click", function () {
      if (offered) window.Shakwa.take(offered.callId, offered.uniqueid, window.Shakwa.unsaved());
    });
    document.getElementById("pop-later").addEventListener("click", function () { pop.hidden = true; });
  }

  // --- keyboard shortcuts: Alt + a letter, by its key position (so an Arabic keyboard works) -----
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    var target = Array.prototype.find.call(document.querySelectorAll("[data-shortcut]"), function (el) {
      return el.dataset.shortcut === e.code && !el.closest("[hidden]") && !el.disabled;
    });
    if (target) {
      e.preventDefault();
      target.click();
    }
  });

  window.Shakwa = {
    socket: socket,
    digits: digits,
    number: function (n) { return numbers.format(n || 0); },
    clock: function (seconds) {
      seconds = Math.max(0, Math.floor(seconds));
      var h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
      var text = (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(s).padStart(2, "0");
      return digits(text);
    },
    // Pages with a form replace this to say whether typed text would be lost.
    unsaved: function () { return false; },
    on: function (type, fn) {
      (handlers[type] = handlers[type] || []).push(fn);
      // A page script that loads after the socket connected still gets its "connect" (a fast
      // server can finish the WebSocket handshake while the browser still fetches the script).
      if (socket.connected && (type === "connect" || type === "*")) fn({}, "connect");
    },
    // Ask the server (sync, wallboard): an answer the database could not give now
    // ({error: "unavailable"}) is asked again while connected, a little later each time.
    ask: function (type, fn, delay) {
      delay = delay || 1000;
      socket.emit(type, null, function (answer) {
        if (answer && answer.error === "unavailable") {
          window.setTimeout(function () {
            if (socket.connected) window.Shakwa.ask(type, fn, Math.min(delay * 2, 15000));
          }, delay);
          return;
        }
        fn(answer);
      });
    },
    // Take a call and open its case: here, or in a new tab when this page holds unsaved work.
    take: function (callId, uniqueid, elsewhere) {
      var tab = elsewhere ? window.open("about:blank", "_blank") : null;
      var body = new URLSearchParams();
      body.set("csrf_token", csrf());
      if (callId) body.set("call_id", callId);
      if (uniqueid) body.set("uniqueid", uniqueid);
      return fetch("/calls/take", { method: "POST", body: body, credentials: "same-origin",
                                    headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          var error = document.getElementById("pop-error") || document.getElementById("take-error");
          if (answer.url) {
            if (pop) pop.hidden = true;
            if (tab) { tab.location.assign(answer.url); } else { window.location.assign(answer.url); }
          } else {
            if (tab) tab.close();
            if (error) error.textContent = answer.error || "";
          }
        });
    }
  };
})();
