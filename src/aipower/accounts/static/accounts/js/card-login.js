/* 線上申請: sign in with the business-certificate card.

   Readers come from the card component's /pkcs11info. On 「登入」 the page opens the component's
   popup (in the click, so it is not blocked), asks the server for a one-time challenge, gives the
   component the challenge and the PIN (the PIN goes to the component only), and posts the
   signature and certificate to the server, which answers with where to go or what went wrong. */
(function () {
  "use strict";

  var root = document.getElementById("card-login");
  if (!root || !window.AipowerHicos) {
    return;
  }
  var hicos = window.AipowerHicos;
  var origin = root.dataset.componentOrigin;
  var texts = JSON.parse(document.getElementById("card-page-messages").textContent);
  var form = document.getElementById("card-login-form");
  var select = document.getElementById("card-reader");
  var readerStatus = document.getElementById("card-reader-status");
  var pin = document.getElementById("card-pin");
  var errorBox = document.getElementById("card-login-error");
  var statusBox = document.getElementById("card-login-status");
  var submit = document.getElementById("card-login-submit");
  var refresh = document.getElementById("card-login-refresh");
  var csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var slots = [];

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    statusBox.textContent = "";
  }

  function clearError() {
    errorBox.textContent = "";
    errorBox.hidden = true;
  }

  function showStatus(message) {
    statusBox.textContent = message;
  }

  function busy(on) {
    submit.disabled = on;
    refresh.disabled = on;
    root.setAttribute("aria-busy", on ? "true" : "false");
  }

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(body),
    }).then(
      function (response) {
        return response.json().catch(function () {
          return { ok: false, message: texts.network };
        });
      },
      function () {
        return { ok: false, message: texts.network };
      }
    );
  }

  /* A failure the page or the component saw: the server logs it and answers with the message. */
  function report(body, fallbackCode) {
    return postJSON(root.dataset.verifyUrl, body).then(function (answer) {
      showError(answer.message || texts[fallbackCode] || texts.component_error);
    });
  }

  function loadReaders() {
    clearError();
    readerStatus.textContent = texts.loading_readers;
    select.innerHTML = "";
    slots = [];
    return hicos.pkcs11info(origin).then(
      function (info) {
        slots = hicos.readers(info);
        var cards = 0;
        slots.forEach(function (slot, index) {
          var option = document.createElement("option");
          option.value = String(index);
          if (slot.serialNumber) {
            cards += 1;
            option.textContent =
              slot.slotDescription + " " + texts.card_number + ":[" + slot.serialNumber + "]";
          } else {
            option.textContent = slot.slotDescription + " (" + texts.no_card_in_reader + ")";
            option.disabled = true;
          }
          select.appendChild(option);
        });
        var firstCard = slots.findIndex(function (slot) {
          return slot.serialNumber;
        });
        if (firstCard >= 0) {
          select.value = String(firstCard);
        }
        readerStatus.textContent = format(texts.readers_found, {
          readers: slots.length,
          cards: cards,
        });
        if (!slots.length) {
          showError(texts.no_reader);
        } else if (!cards) {
          showError(texts.no_card_inserted);
        }
      },
      function () {
        readerStatus.textContent = "";
        showError(texts.component_missing);
      }
    );
  }

  function login(event) {
    event.preventDefault();
    clearError();
    var slot = slots[Number(select.value)];
    if (!slots.length) {
      // No answer from the component yet: the popup below finds out whether it is there.
      slot = null;
    } else if (!slot || !slot.serialNumber) {
      showError(texts.reader_required);
      select.focus();
      return;
    }
    if (!pin.value) {
      showError(texts.pin_required);
      pin.focus();
      return;
    }
    busy(true);
    showStatus(texts.signing);
    var challenge = postJSON(root.dataset.challengeUrl, {});
    var nonce = null;
    hicos
      .sign(origin, function () {
        return challenge.then(function (answer) {
          if (!answer.ok) {
            var error = new Error(answer.code || "network");
            error.code = answer.code || "network";
            error.serverMessage = answer.message;
            throw error;
          }
          nonce = answer.challenge;
          var pkg = {
            tbs: encodeURIComponent(answer.challenge),
            tbsEncoding: "NONE",
            hashAlgorithm: "SHA256",
            withCardSN: "true",
            pin: encodeURIComponent(pin.value),
            nonce: "",
            func: "MakeSignature",
            signatureType: "PKCS7",
          };
          if (slot) {
            pkg.slotDescription = slot.slotDescription;
            pkg.cardSN = slot.serialNumber;
          }
          return pkg;
        });
      })
      .then(function (result) {
        pin.value = "";
        if (result.ret_code !== 0) {
          return report(
            { challenge: nonce, ret_code: result.ret_code, last_error: result.last_error || 0 },
            "component_error"
          );
        }
        showStatus(texts.verifying);
        return postJSON(root.dataset.verifyUrl, {
          challenge: nonce,
          signature: result.signature,
          certificate: result.certb64 || (slot && slot.certb64) || "",
        }).then(function (answer) {
          if (answer.ok) {
            window.location.assign(answer.redirect);
            return;
          }
          showError(answer.message || texts.login_failed);
        });
      })
      .catch(function (error) {
        pin.value = "";
        if (error && error.serverMessage) {
          showError(error.serverMessage);
        } else if (error && (error.code === "component_missing" || error.code === "no_card")) {
          return report({ challenge: nonce, failure: error.code }, error.code);
        } else {
          showError(texts[error && error.code] || texts.component_error);
        }
      })
      .then(function () {
        busy(false);
        if (!errorBox.hidden) {
          showStatus("");
        }
      });
  }

  form.addEventListener("submit", login);
  refresh.addEventListener("click", loadReaders);
  loadReaders();
})();
