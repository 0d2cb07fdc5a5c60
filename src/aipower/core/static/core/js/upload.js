/* A large file's upload shows its progress: a form marked data-upload-progress, holding the
   core/_upload_progress.html box, is sent by XMLHttpRequest when a file is chosen, and the box
   shows how much has gone (a progress bar and a sentence, read out at most every tenth), with
   a button to cancel. The request carries X-Upload-Progress: 1, so a redirect comes back as
   {"location": …} (core.middleware.UploadProgressMiddleware) and the browser goes there itself —
   with the page's message about the upload. A page sent back with errors replaces this one, as
   a normal submission would. Leaving the page during the upload asks first. The keyboard focus,
   on the form's button that the upload disables, moves to 「取消上傳」, and back to the button
   when the upload stops there (cancelled or failed). Without JavaScript,
   or with no file chosen, the form is sent as usual. */
(function () {
  "use strict";
  if (!window.XMLHttpRequest || !window.FormData) {
    return;
  }

  function chosenFiles(form) {
    var inputs = form.querySelectorAll("input[type=file]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length) {
        return true;
      }
    }
    return false;
  }

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  // To ``target``; a target that differs from this page only by its #fragment would only
  // scroll, so the page is loaded again to show what the upload changed.
  function go(target) {
    var next = new URL(target, window.location.href);
    var here = window.location;
    window.location.assign(next.href);
    if (next.pathname === here.pathname && next.search === here.search) {
      window.location.reload();
    }
  }

  function leaveWarning(event) {
    event.preventDefault();
    event.returnValue = "";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (
      event.defaultPrevented || // data-confirm was answered no
      !(form instanceof HTMLFormElement) ||
      !form.hasAttribute("data-upload-progress") ||
      !chosenFiles(form)
    ) {
      return;
    }
    var box = form.querySelector(".upload-progress");
    if (!box) {
      return;
    }
    event.preventDefault();
    var bar = box.querySelector("progress");
    var text = box.querySelector(".upload-progress-text");
    var cancel = box.querySelector(".upload-cancel");
    var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    var xhr = new XMLHttpRequest();
    var spoken = -1;

    function busy(on) {
      var focused = document.activeElement;
      var moveTo = null;
      if (on && (form.contains(focused) || focused === document.body)) {
        moveTo = cancel;
      } else if (!on && focused === cancel) {
        moveTo = event.submitter || buttons[0];
      }
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].disabled = on;
      }
      cancel.hidden = !on;
      if (moveTo) {
        moveTo.focus();
      }
      if (on) {
        window.addEventListener("beforeunload", leaveWarning);
      } else {
        window.removeEventListener("beforeunload", leaveWarning);
      }
    }

    function stopped(template, reason) {
      busy(false);
      bar.value = 0;
      text.textContent = fill(template, { reason: reason });
    }

    xhr.upload.addEventListener("progress", function (progress) {
      if (!progress.lengthComputable) {
        return;
      }
      var percent = Math.floor((progress.loaded / progress.total) * 100);
      bar.value = percent;
      if (Math.floor(percent / 10) !== spoken) {
        spoken = Math.floor(percent / 10);
        text.textContent = fill(box.dataset.sent, {
          loaded: megabytes(progress.loaded),
          total: megabytes(progress.total),
          percent: percent + "%",
        });
      }
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100;
      text.textContent = box.dataset.processing;
    });
    xhr.addEventListener("load", function () {
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (type.indexOf("application/json") === 0) {
        var answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (error) {
          answer = null;
        }
        if (answer && answer.location) {
          busy(false);
          go(answer.location);
          return;
        }
      }
      if (type.indexOf("text/html") === 0 && xhr.status < 500) {
        busy(false); // the page the server sent back (errors next to their fields)
        document.open();
        document.write(xhr.responseText);
        document.close();
        return;
      }
      stopped(box.dataset.failed, "HTTP " + xhr.status);
    });
    xhr.addEventListener("error", function () {
      stopped(box.dataset.failed, box.dataset.network);
    });
    xhr.addEventListener("abort", function () {
      stopped(box.dataset.cancelled, "");
    });
    cancel.onclick = function () {
      xhr.abort();
    };

    box.hidden = false;
    bar.value = 0;
    text.textContent = fill(box.dataset.sent, { loaded: "0 MB", total: "…", percent: "0%" });
    busy(true);
    xhr.open(form.method.toUpperCase(), form.action);
    xhr.setRequestHeader("X-Upload-Progress", "1");
    xhr.send(data);
  });
})();
