/* The HiCOS cross-platform card component protocol, as the login and environment-check pages
   use it (the development card component speaks the same protocol).

   - GET  <origin>/pkcs11info?withcert=true  readers and cards (JSON; CORS)
   - GET  <origin>/version                   component and service versions (JSON; CORS)
   - window.open(<origin>/popupForm): the popup posts {"func":"getTbs"} to its opener, the page
     answers with the tbsPackage (JSON string), the popup answers {"func":"sign", ret_code,
     last_error, signature, certb64, cardSN}. Every message's origin is checked and every
     message to the popup names the component's exact origin. */
(function () {
  "use strict";

  var GET_TBS_TIMEOUT_MS = 5000; // no "getTbs" by then: the component is not running
  var SIGN_TIMEOUT_MS = 120000; // the user may take a while at the component's window

  function getJSON(url) {
    return fetch(url, { method: "GET", mode: "cors", credentials: "omit", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("component answered " + response.status);
        }
        return response.json();
      });
  }

  function pkcs11info(origin) {
    return getJSON(origin + "/pkcs11info?withcert=true");
  }

  function version(origin) {
    return getJSON(origin + "/version");
  }

  /* The card's signing certificate: a business-certificate card also holds its encryption
     certificate (usage "keyEncipherment|dataEncipherment") and may list its CA's. */
  function signingCert(certs) {
    var signing = certs.filter(function (cert) {
      return /digitalSignature|nonRepudiation/.test(cert.usage || "");
    });
    return (signing[0] || certs[0] || {}).certb64 || "";
  }

  /* Readers with their card (if any): [{slotDescription, serialNumber, certb64}] */
  function readers(info) {
    var slots = (info && info.slots) || [];
    return slots.map(function (slot) {
      var token = slot.token || null;
      var certs = (token && token.certs) || [];
      return {
        slotDescription: slot.slotDescription,
        serialNumber: token ? token.serialNumber : "",
        certb64: signingCert(certs),
      };
    });
  }

  function failure(code) {
    var error = new Error(code);
    error.code = code;
    return error;
  }

  /* Open the component's popup (call from a click handler: browsers block other popups) and
     have it sign. `tbsPackage` is a function returning a promise of the tbsPackage object. */
  function sign(origin, tbsPackage) {
    var popup = window.open(
      origin + "/popupForm",
      "hicos-sign",
      "height=200,width=200,left=100,top=20"
    );
    if (!popup) {
      return Promise.reject(failure("popup_blocked"));
    }
    return new Promise(function (resolve, reject) {
      var done = false;
      var timer = window.setTimeout(function () {
        finish(failure("component_missing"));
      }, GET_TBS_TIMEOUT_MS);
      var watcher = window.setInterval(function () {
        if (popup.closed) {
          finish(failure("popup_closed"));
        }
      }, 500);

      function finish(error, result) {
        if (done) {
          return;
        }
        done = true;
        window.clearTimeout(timer);
        window.clearInterval(watcher);
        window.removeEventListener("message", onMessage);
        try {
          if (!popup.closed) {
            popup.close();
          }
        } catch (ignored) {
          /* the popup is gone already */
        }
        if (error) {
          reject(error);
        } else {
          resolve(result);
        }
      }

      function onMessage(event) {
        if (event.origin !== origin || event.source !== popup) {
          return;
        }
        var data;
        try {
          data = JSON.parse(event.data);
        } catch (ignored) {
          return;
        }
        if (!data || typeof data.func !== "string") {
          return;
        }
        if (data.func === "getTbs") {
          window.clearTimeout(timer);
          timer = window.setTimeout(function () {
            finish(failure("component_error"));
          }, SIGN_TIMEOUT_MS);
          Promise.resolve()
            .then(tbsPackage)
            .then(function (pkg) {
              if (!done) {
                popup.postMessage(JSON.stringify(pkg), origin);
              }
            })
            .catch(function (error) {
              finish(error);
            });
        } else if (data.func === "sign") {
          finish(null, data);
        }
      }

      window.addEventListener("message", onMessage);
    });
  }

  window.AipowerHicos = {
    pkcs11info: pkcs11info,
    version: version,
    readers: readers,
    sign: sign,
  };
})();
