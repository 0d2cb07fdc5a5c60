// The score sheet: leaving the page (a link of the header or of the breadcrumb, closing the
// tab) while what was typed on the sheet is not saved asks first (the browser's own
// 「離開網站？」); 儲存草稿 and 送出評分 never ask, nor does 聲明迴避 (it asks its own question,
// and stepping aside drops the sheet). A sheet shown again with the typing not saved
// (``data-warn-unsaved="shown"``: saved from another tab meanwhile) asks even before anything
// more is typed. Without JavaScript nothing asks; the server keeps nothing unsent either.
(function () {
  "use strict";

  var sheet = document.querySelector("form[data-warn-unsaved]");
  if (!sheet) {
    return;
  }
  var serialise = function (form) {
    var data = new FormData(form);
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  };
  var unsavedFromStart = sheet.dataset.warnUnsaved === "shown";
  var asShown = serialise(sheet);
  var leaving = false;
  sheet.addEventListener("submit", function () {
    leaving = true;
  });
  var aside = document.querySelector("#step-aside form");
  if (aside) {
    aside.addEventListener("submit", function () {
      leaving = true;
    });
  }
  window.addEventListener("beforeunload", function (event) {
    if (leaving || (!unsavedFromStart && serialise(sheet) === asShown)) {
      return;
    }
    event.preventDefault();
    event.returnValue = "";
  });
  // Stayed after the question (the page was not left): a later sending may ask again.
  window.addEventListener("pageshow", function () {
    leaving = false;
  });
})();
