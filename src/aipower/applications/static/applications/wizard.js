// Progressive enhancement of the wizard. Without JavaScript every field stays visible and
// the server enforces the same rules.
// - A 「其他」 text field is shown only while 其他 is chosen.
// - An exclusive option (無使用需求, 以上皆無…) clears the other options, and vice versa; the
//   options it cleared are announced to screen readers.
// - 「上一步」 and the step list save what was typed on a draft's page before leaving it (the
//   form is posted with ``go`` naming the page to open), so going back never loses anything.
// - Leaving an editable page any other way (a link of the header, 檢視申請表, the step list of
//   a submitted application, closing the tab) while what was typed is not saved asks first
//   (the browser's own 「離開網站？」); sending the form never asks. A page shown again with
//   what was typed but not saved (``data-warn-unsaved="shown"``: refused, or saved elsewhere
//   meanwhile) asks even before anything more is typed.
(function () {
  "use strict";

  var serialise = function (form) {
    return new URLSearchParams(new FormData(form)).toString();
  };
  var leaving = false;

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

  // The options an exclusive choice unticked are said (#wizard-announcement, a status region):
  // a screen reader user would not otherwise learn that other boxes changed.
  var announcement = document.getElementById("wizard-announcement");
  var labelOf = function (input) {
    return input.labels && input.labels.length ? input.labels[0].textContent.trim() : input.value;
  };
  document.querySelectorAll("input[type=checkbox][data-exclusive]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (!box.checked) {
        return;
      }
      var exclusive = box.dataset.exclusive;
      var cleared = [];
      document.querySelectorAll('input[name="' + box.name + '"]').forEach(function (other) {
        if (other !== box && (box.value === exclusive || other.value === exclusive)) {
          if (other.checked) {
            cleared.push(labelOf(other));
          }
          other.checked = false;
        }
      });
      if (announcement && cleared.length) {
        announcement.textContent = announcement.dataset.cleared.replace(
          "{options}",
          cleared.join(announcement.dataset.separator)
        );
      }
    });
  });

  var form = document.querySelector("form[data-save-on-leave]");
  if (form) {
    var shown = serialise(form);
    document.querySelectorAll("a[data-step]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (serialise(form) === shown) {
          return;
        }
        event.preventDefault();
        form.elements.go.value = link.dataset.step;
        leaving = true; // form.submit() fires no submit event
        form.submit();
      });
    });
  }

  var edited = document.querySelector("form[data-warn-unsaved]");
  if (edited) {
    var unsavedFromStart = edited.dataset.warnUnsaved === "shown";
    var asShown = serialise(edited);
    edited.addEventListener("submit", function () {
      leaving = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (leaving || (!unsavedFromStart && serialise(edited) === asShown)) {
        return;
      }
      event.preventDefault();
      event.returnValue = "";
    });
  }
})();
