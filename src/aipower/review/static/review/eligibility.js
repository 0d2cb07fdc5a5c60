/* The eligibility decision asks first only for 資格不符 (irreversible and sent to the
   applicant): the form's data-confirm (read by core/js/site.js on submit) is set from its
   data-confirm-ineligible while that outcome is chosen. */
(function () {
  "use strict";
  var form = document.getElementById("eligibility-form");
  if (!form) {
    return;
  }
  function sync() {
    var chosen = form.querySelector('input[name="outcome"]:checked');
    if (chosen && chosen.value === "ineligible") {
      form.dataset.confirm = form.dataset.confirmIneligible;
    } else {
      delete form.dataset.confirm;
    }
  }
  form.addEventListener("change", sync);
  sync();
})();
