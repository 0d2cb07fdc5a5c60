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
