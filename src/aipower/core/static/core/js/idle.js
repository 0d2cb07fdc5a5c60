/* The idle sign-out warning (accounts.idle, core/_idle_warning.html): shown IDLE_WARNING_SECONDS
   before a signed-in browser left idle is signed out, with 「繼續使用」 to stay. Before warning,
   the server is asked how long is left (another tab of the same sign-in may have been in use),
   without that counting as use. At the end the box says so; the page is not reloaded, so
   nothing typed is lost (a form sent then is kept for after the next sign-in). */
(function () {
  "use strict";
  var box = document.getElementById("idle-warning");
  if (!box || !window.fetch) {
    return;
  }
  var warning = parseInt(box.dataset.warning, 10) * 1000;
  var soon = box.querySelector(".idle-warning-soon");
  var out = box.querySelector(".idle-warning-out");
  var form = box.querySelector("form");
  var timer = null;

  function signedOut() {
    soon.hidden = true;
    form.hidden = true;
    out.hidden = false;
    box.hidden = false;
  }

  function schedule(seconds) {
    window.clearTimeout(timer);
    if (seconds === null || seconds <= 0) {
      signedOut();
      return;
    }
    var left = seconds * 1000;
    box.hidden = left > warning;
    timer = window.setTimeout(check, left > warning ? left - warning : left);
  }

  function answer(response) {
    if (!response.ok) {
      throw new Error(response.status);
    }
    return response.json();
  }

  function check() {
    window
      .fetch(box.dataset.statusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(answer)
      .then(function (data) {
        schedule(data.remaining);
      })
      .catch(function () {
        timer = window.setTimeout(check, 30000); // offline for a moment: ask again later
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window
      .fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value,
        },
      })
      .then(answer)
      .then(function (data) {
        schedule(data.remaining);
      })
      .catch(check);
  });

  schedule(parseInt(box.dataset.remaining, 10));
})();
