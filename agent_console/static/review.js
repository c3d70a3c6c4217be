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
  // A word seeks the recording it was heard in (not the first player: the agent's call comes
  // first); before that recording plays, its reason is asked and the seek waits for the audio.
  var words = document.getElementById("words");
  var player = words && document.querySelector('.player[data-recording="' + words.dataset.recording + '"]');
  if (!player) { return; }
  var audio = player.querySelector("audio");
  var spans = words.querySelectorAll(".word");
  function seek(seconds) { audio.currentTime = seconds; audio.play().catch(function () {}); }
  spans.forEach(function (word) {
    word.addEventListener("click", function () {
      var start = Number(word.dataset.start);
      if (audio.src) { seek(start); return; }
      audio.addEventListener("loadedmetadata", function () { seek(start); }, { once: true });
      player.querySelector(".reason").focus();
      player.querySelector(".play").click();
    });
  });
  audio.addEventListener("timeupdate", function () {  // the word being said, highlighted
    var now = audio.currentTime;
    spans.forEach(function (word, i) {
      var next = spans[i + 1] ? Number(spans[i + 1].dataset.start) : Infinity;
      word.classList.toggle("said", now >= Number(word.dataset.start) && now < next);
    });
  });
})();
