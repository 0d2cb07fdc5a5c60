// Progressive enhancement of the wizard: show a 「其他」 text field only while 其他 is chosen.
// Without JavaScript every field stays visible and the form works the same.
(function () {
  "use strict";
  document.querySelectorAll("[data-other-of]").forEach(function (input) {
    var row = input.closest(".form-row");
    var choices = document.querySelectorAll('input[name="' + input.dataset.otherOf + '"]');
    if (!row || !choices.length) {
      return;
    }
    function update() {
      var chosen = Array.prototype.some.call(choices, function (choice) {
        return choice.checked && choice.value === "other";
      });
      row.hidden = !chosen && !input.value && !row.classList.contains("has-error");
    }
    choices.forEach(function (choice) {
      choice.addEventListener("change", update);
    });
    update();
  });
})();
