// Warns before a signed-in session ends for want of a request, so what is
// typed in a long form is saved (or the session extended) in time. The box
// (templates/_session_warning.html) says how long the server gives the
// session; near the end the server is asked again (another tab may have
// moved it on: asking does not), and "ใช้งานต่อ" extends it.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box) return;
  var text = box.querySelector(".session-warning-text");
  var button = document.getElementById("session-extend");
  var warnBefore = parseInt(box.dataset.warnBefore, 10);
  var timer = null;
  var MINUTE = 60;

  function show(secondsLeft) {
    box.hidden = false;
    if (secondsLeft <= 0) {
      text.textContent = box.dataset.endedText;
      button.hidden = true;
    } else {
      text.textContent = box.dataset.warningText.replace("{minutes}", String(Math.max(1, Math.ceil(secondsLeft / MINUTE))));
      button.hidden = false;
    }
  }

  function schedule(secondsLeft) {
    clearTimeout(timer);
    if (secondsLeft <= 0) {
      show(0);
    } else if (secondsLeft <= warnBefore) {
      show(secondsLeft);
      timer = setTimeout(check, Math.min(secondsLeft, MINUTE) * 1000);
    } else {
      box.hidden = true;
      timer = setTimeout(check, (secondsLeft - warnBefore) * 1000);
    }
  }

  function answer(response) {
    return response.ok ? response.json() : { seconds_left: 0 };
  }

  function check() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(answer)
      .then(function (data) { schedule(data.seconds_left); })
      .catch(function () { timer = setTimeout(check, MINUTE * 1000); });
  }

  button.addEventListener("click", function () {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(box.dataset.extendUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",  // signed out already: the sign-in redirect is an answer, not a page
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
    })
      .then(answer)
      .then(function (data) { schedule(data.seconds_left); })
      .catch(function () { schedule(0); });
  });

  schedule(parseInt(box.dataset.secondsLeft, 10));
})();
