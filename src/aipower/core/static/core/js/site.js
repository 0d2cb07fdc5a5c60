/* Progressive enhancement for every page: the small-screen menu button.
   Without JavaScript the navigation simply stays expanded; nothing depends on this file. */
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (!toggle || !nav) {
    return;
  }
  document.documentElement.classList.add("has-js");
  toggle.hidden = false;

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("is-open")) {
      setOpen(false);
      toggle.focus();
    }
  });
})();

/* Irreversible actions ask first: a form with data-confirm="…" (the question, already in the
   page's language) submits only when the user confirms. Without JavaScript the form submits as
   before; the server checks everything anyway. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form instanceof HTMLFormElement ? form.dataset.confirm : "";
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();

/* A table wider than the screen scrolls sideways inside its .table-wrap. While it does, the
   keyboard can reach the scroll box (tabindex) and a screen reader hears what it holds (a region
   named by the table's caption or the heading before it); a table that fits
   leaves the box an ordinary div. */
(function () {
  "use strict";
  var wraps = Array.prototype.slice.call(document.querySelectorAll(".table-wrap"));
  if (!wraps.length) {
    return;
  }

  // The heading that comes last before ``element`` in the page (its own or an ancestor's).
  function headingBefore(element) {
    for (var node = element; node && node !== document.body; node = node.parentElement) {
      for (var sibling = node.previousElementSibling; sibling; ) {
        if (/^H[1-6]$/.test(sibling.tagName)) {
          return sibling;
        }
        var inside = sibling.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inside.length) {
          return inside[inside.length - 1];
        }
        sibling = sibling.previousElementSibling;
      }
    }
    return null;
  }

  function textOf(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // The element naming the labelled section around ``wrap``, if any.
  function sectionLabel(wrap) {
    var section = wrap.closest("[aria-labelledby]");
    return section && document.getElementById(section.getAttribute("aria-labelledby"));
  }

  function nameOf(wrap) {
    return textOf(
      wrap.querySelector("caption") ||
        headingBefore(wrap) ||
        sectionLabel(wrap) ||
        document.querySelector("main h1, h1")
    );
  }

  function update() {
    wraps.forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth;
      if (scrolls && !wrap.dataset.scrollRegion) {
        wrap.dataset.scrollRegion = "on";
        wrap.tabIndex = 0;
        var name = nameOf(wrap);
        // A region named like the section around it would be a second landmark of the same
        // name (axe landmark-unique): the box is then only focusable, the section names it.
        var section = sectionLabel(wrap);
        if (!section || name !== textOf(section)) {
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", name);
        }
      } else if (!scrolls && wrap.dataset.scrollRegion) {
        delete wrap.dataset.scrollRegion;
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  update();
  window.addEventListener("load", update);
  window.addEventListener("resize", update);
})();

/* A form page sent back with errors: the focus moves to its error summary
   ([data-focus-on-load], core/_error_summary.html, any page), so a screen reader reads it first and the
   keyboard continues from it; a link of the summary moves the focus to its field. A form without
   a summary (a key, an upload, a meeting's row) sends the focus to its first field marked invalid,
   which is described by its message. The page's title then starts with 「錯誤：」 (the <html>'s
   data-error-title, in the page's language), the first thing a screen reader says of the page.
   Without JavaScript the summary is still at the top of the form and its links still scroll.
   A page without errors that says how what the user just did went (Django's messages,
   #page-messages in core/base.html) puts the focus there, so it is read out and the keyboard
   continues from it. */
(function () {
  "use strict";
  var target =
    document.querySelector("[data-focus-on-load]") ||
    document.querySelector("main [aria-invalid='true']");
  if (!target) {
    var messages = document.getElementById("page-messages");
    if (messages) {
      messages.focus({ preventScroll: true });
    }
    return;
  }
  var prefix = document.documentElement.dataset.errorTitle;
  if (prefix && document.title.indexOf(prefix) !== 0) {
    document.title = prefix + document.title;
  }
  target.focus();
  if (!target.hasAttribute("data-focus-on-load")) {
    target.scrollIntoView({ block: "center" });
    return;
  }
  target.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });
})();

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
