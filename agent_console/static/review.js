// The review page: a reason is asked before playing; clicking a transcript word seeks the audio.
(function () {
  "use strict";
  var players = document.querySelectorAll(".player");
  players.forEach(function (player) {
    var audio = player.querySelector("audio");
    var error = player.querySelector(".error");
    player.querySelector(".play").addEventListener("click", function () {
      var reason = player.querySelector(".reason").value.trim();
      if (reason.length < 3) { error.textContent = error.dataset.text; error.hidden = false; return; }
      error.hidden = true;
      // The reason goes in a POST body, never in the audio URL (access logs, history).
      var body = new URLSearchParams();
      body.set("csrf_token", document.querySelector("meta[name=csrf-token]").content);
      body.set("reason", reason);
      fetch(player.dataset.listen, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (answer) {
          audio.src = answer.url;
          audio.play().catch(function () { /* autoplay refused: the controls still work */ });
        })
        .catch(function () { error.textContent = error.dataset.text; error.hidden = false; });
    });
  });
  document.querySelectorAll(".word").forEach(function (word) {
    word.addEventListener("click", function () {
      var audio = document.querySelector(".player audio");
      if (audio && audio.src) { audio.currentTime = Number(word.dataset.start); audio.play(); }
    });
  });
})();
