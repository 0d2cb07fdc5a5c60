/* The idle sign-out warning (accounts.idle, core/_idle_warning.html): shown IDLE_WARNING_SECONDS
   before a signed-in browser left idle is signed out, with 「繼續使用」 to stay. Before warning,
   the server is asked how long is left (another tab of the same sign-in may have been in use),
   without that counting as use. At the end the box says so; the page is not reloaded, so
   nothing typed is lost (a form sent then is kept for after the next sign-in).
   Keyboard: when the warning shows, the focus moves to 「繼續使用」 (at the end of the page it is
   otherwise many Tab presses away), unless the user is typing in a field; once the sign-in is
   kept (or has ended), the focus goes back where it was. While the box shows, the page keeps
   room for it at its end and scrolls what the keyboard focuses above it, so the box never hides
   the focused element (WCAG 2.4.11). */
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
  var button = form.querySelector("button");
  var timer = null;
  var returnTo = null; // the element the focus left for 「繼續使用」, while it is there

  function typing(element) {
    return (
      element && element.matches && element.matches("input, select, textarea, [contenteditable]")
    );
  }

  function takeFocus() {
    var active = document.activeElement;
    if (typing(active)) {
      return;
    }
    returnTo = active && active !== document.body ? active : document.getElementById("main");
    button.focus();
  }

  // Room under the page for the box while it shows (its height, and its 1rem from the bottom).
  function makeRoom(on) {
    var room = on ? box.offsetHeight + 2 * 16 + "px" : "";
    document.documentElement.style.scrollPaddingBottom = room;
    document.body.style.paddingBottom = room;
  }

  function giveFocusBack() {
    var target = returnTo;
    returnTo = null;
    if (target && box.contains(document.activeElement) && document.contains(target)) {
      target.focus();
    }
  }

  function signedOut() {
    giveFocusBack();
    soon.hidden = true;
    form.hidden = true;
    out.hidden = false;
    box.hidden = false;
    makeRoom(true);
  }

  function schedule(seconds) {
    window.clearTimeout(timer);
    if (seconds === null || seconds <= 0) {
      signedOut();
      return;
    }
    var left = seconds * 1000;
    if (left <= warning && box.hidden) {
      box.hidden = false;
      makeRoom(true);
      takeFocus();
    } else if (left > warning && !box.hidden) {
      giveFocusBack();
      box.hidden = true;
      makeRoom(false);
    }
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
