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
      audio.src = player.dataset.src + "?reason=" + encodeURIComponent(reason);
      audio.play().catch(function () { /* autoplay refused: the controls still work */ });
    });
  });
  document.querySelectorAll(".word").forEach(function (word) {
    word.addEventListener("click", function () {
      var audio = document.querySelector(".player audio");
      if (audio && audio.src) { audio.currentTime = Number(word.dataset.start); audio.play(); }
    });
  });
})();
