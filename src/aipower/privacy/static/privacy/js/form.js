/* A form page sent back with errors: the focus moves to its error summary
   ([data-focus-on-load], core/_error_summary.html), so a screen reader reads it first and the
   keyboard continues from it; a link of the summary moves the focus to its field. Without
   JavaScript the summary is still at the top of the form and its links still scroll. */
(function () {
  "use strict";
  var target = document.querySelector("[data-focus-on-load]");
  if (!target) {
    return;
  }
  target.focus();
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
