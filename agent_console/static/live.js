// The one Socket.IO connection of a console page. Pages listen with Shakwa.on(type, fn).
(function () {
  "use strict";
  var handlers = {};
  var socket = io("/live", { transports: ["websocket", "polling"] });
  var status = document.getElementById("live-status");
  var me = document.body.dataset;

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

  // Screen pop: the AMI bridge names the agent's extension when the agent answers.
  socket.on("queue.agent_connect", function (event) {
    var agent = String((event.payload || {}).agent || "");
    if (me.extension && (agent === me.extension || agent.split("/").pop() === me.extension)) {
      window.Shakwa.take(event.call_id, (event.payload || {}).uniqueid);
    }
  });

  function csrf() { return document.querySelector("meta[name=csrf-token]").content; }

  window.Shakwa = {
    socket: socket,
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
    // Take a call and open its case (the "take call" button and the screen pop).
    take: function (callId, uniqueid) {
      var body = new URLSearchParams();
      body.set("csrf_token", csrf());
      if (callId) body.set("call_id", callId);
      if (uniqueid) body.set("uniqueid", uniqueid);
      return fetch("/calls/take", { method: "POST", body: body, credentials: "same-origin",
                                    headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          if (answer.url) { window.location.assign(answer.url); }
          else if (answer.error) { window.alert(answer.error); }
        });
    }
  };
})();
