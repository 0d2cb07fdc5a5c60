/* The import job's page (registry/import_job.html): asks the job's status URL for its progress
   every second while the import is queued or running, and moves the progress bar and the
   sentence under it (a polite status region, so a screen reader hears the change). When the
   import ends the page is loaded again, to show its outcome with the links that go with it. */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !box.hasAttribute("data-polling") || !window.fetch) {
    return;
  }
  var bar = document.getElementById("import-bar");
  var label = document.getElementById("import-label");
  var text = document.getElementById("import-text");
  var url = box.dataset.statusUrl;
  var delay = 1000;

  function show(state) {
    label.textContent = state.label;
    text.textContent = state.text;
    if (state.status === "queued") {
      bar.removeAttribute("value");
    } else {
      bar.value = state.percent;
      bar.textContent = state.percent + "%";
    }
  }

  function poll() {
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
          return;
        }
        if (state.stalled) {
          return; // the sentence says so; a new upload is the way on
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000); // the server restarting, or the network: try later
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
