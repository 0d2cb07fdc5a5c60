// Progressive enhancement of the wizard. Without JavaScript every field stays visible and
// the server enforces the same rules.
// - A 「其他」 text field is shown only while 其他 is chosen.
// - An exclusive option (無使用需求, 以上皆無…) clears the other options, and vice versa.
// - 「上一步」 and the step list save what was typed on a draft's page before leaving it (the
//   form is posted with ``go`` naming the page to open), so going back never loses anything.
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

  document.querySelectorAll("input[type=checkbox][data-exclusive]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (!box.checked) {
        return;
      }
      var exclusive = box.dataset.exclusive;
      document.querySelectorAll('input[name="' + box.name + '"]').forEach(function (other) {
        if (other !== box && (box.value === exclusive || other.value === exclusive)) {
          other.checked = false;
        }
      });
    });
  });

  var form = document.querySelector("form[data-save-on-leave]");
  if (form) {
    var serialise = function () {
      return new URLSearchParams(new FormData(form)).toString();
    };
    var shown = serialise();
    document.querySelectorAll("a[data-step]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (serialise() === shown) {
          return;
        }
        event.preventDefault();
        form.elements.go.value = link.dataset.step;
        form.submit();
      });
    });
  }
})();
