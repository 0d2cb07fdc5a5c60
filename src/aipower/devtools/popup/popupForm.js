/* The development card component's popup: the HiCOS popupForm protocol.
   1. post {"func":"getTbs"} to the opener;
   2. receive the tbsPackage (JSON string) from the opener;
   3. have the component sign it (POST /sign, same origin), passing the requesting page's origin
      so the component can refuse pages it does not serve;
   4. post the result ({"func":"sign", ...}) back to exactly that origin. */
(function () {
  "use strict";
  var status = document.getElementById("status");
  var opener = window.opener;
  var answered = false;
  if (!opener) {
    status.textContent = "請由網站的「登入」按鈕開啟本視窗。";
    return;
  }
  window.addEventListener("message", function (event) {
    if (event.source !== opener || answered) {
      return;
    }
    var pkg;
    try {
      pkg = JSON.parse(event.data);
    } catch (ignored) {
      return;
    }
    if (!pkg || pkg.func !== "MakeSignature") {
      return;
    }
    answered = true;
    fetch("/sign", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ origin: event.origin, tbsPackage: pkg }),
    })
      .then(function (response) {
        return response.text();
      })
      .then(function (text) {
        status.textContent = "完成。";
        opener.postMessage(text, event.origin);
      })
      .catch(function () {
        opener.postMessage(
          JSON.stringify({ func: "sign", ret_code: 0x7600000d, last_error: 0 }),
          event.origin
        );
      });
  });
  opener.postMessage(JSON.stringify({ func: "getTbs" }), "*");
})();
