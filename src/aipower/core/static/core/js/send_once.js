/* Loaded by every page of the site (core/base.html) and of the Django admin
   (admin/base_site.html), where a double click on 儲存 saved the object twice. */
/* A form is sent once: a second click of its button (a double click, an impatient click, Enter
   pressed again) while the first sending is on its way does nothing. A second sending would
   replace the answer the browser shows — e.g. a new API key's secret, shown once, by "already
   created" — and for forms without a server-side guard it would do the thing twice. The button
   pressed is marked aria-disabled (not disabled: its own name and value must still be sent, and
   it keeps the keyboard focus). Going back to the page (the back/forward cache), staying on a
   page that asked before it was left, or waiting a while (a download answers without leaving
   the page) lets the form be sent again. Only POST
   forms of this page; without JavaScript the server's own guards still hold. */
(function () {
  "use strict";
  var RELEASE_MS = 15000;
  var sending = [];

  function release() {
    sending.forEach(function (entry) {
      delete entry.form.dataset.sending;
      if (entry.button) {
        entry.button.removeAttribute("aria-disabled");
      }
    });
    sending = [];
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (
        !(form instanceof HTMLFormElement) ||
        form.method !== "post" ||
        (form.target && form.target !== "_self")
      ) {
        return;
      }
      if (form.dataset.sending) {
        event.preventDefault();
        event.stopImmediatePropagation(); // no second confirmation question, no second upload
        return;
      }
      // Marked once every listener has had its say: a confirmation answered no, or a script
      // that sends the form itself (upload.js, which disables the buttons on its own), leaves
      // the form free.
      var button = event.submitter;
      window.setTimeout(function () {
        if (event.defaultPrevented) {
          return;
        }
        form.dataset.sending = "1";
        if (button && button.form === form) {
          button.setAttribute("aria-disabled", "true");
        }
        sending.push({ form: form, button: button });
        window.setTimeout(release, RELEASE_MS);
      }, 0);
    },
    true
  );
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      release();
    }
  });
  // A page that asks before it is left (unsaved typing, wizard.js): when the user stays, the
  // form was never sent. The timer runs only once the question is answered.
  window.addEventListener("beforeunload", function (event) {
    window.setTimeout(function () {
      if (event.defaultPrevented) {
        release();
      }
    }, 0);
  });
})();
