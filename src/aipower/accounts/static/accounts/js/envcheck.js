/* 環境檢測: what card login needs. The operating system, browser, cookies and clock are read
   at once; 「檢測 IC 卡讀卡機元件」 asks the card component for its version and its readers. */
(function () {
  "use strict";

  var root = document.getElementById("envcheck");
  if (!root || !window.AipowerHicos) {
    return;
  }
  var hicos = window.AipowerHicos;
  var origin = root.dataset.componentOrigin;
  var texts = JSON.parse(document.getElementById("envcheck-messages").textContent);
  var serverTime = Number(root.dataset.serverTime);
  var loadedAt = performance.now();
  var MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

  function $(id) {
    return document.getElementById(id);
  }

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  // "1.3.4-dev" → [1, 3, 4]: the numeric parts, compared part by part (missing parts are 0).
  function versionParts(text) {
    return (String(text).match(/\d+(\.\d+)*/) || ["0"])[0].split(".").map(Number);
  }

  function olderThan(version, minimum) {
    var a = versionParts(version);
    var b = versionParts(minimum);
    for (var i = 0; i < Math.max(a.length, b.length); i += 1) {
      var x = a[i] || 0;
      var y = b[i] || 0;
      if (x !== y) {
        return x < y;
      }
    }
    return false;
  }

  function operatingSystem(ua) {
    var rules = [
      [/Windows NT 10/, "Windows 10/11"],
      [/Windows NT 6\.3/, "Windows 8.1"],
      [/Windows NT 6\.1/, "Windows 7"],
      [/Windows/, "Windows"],
      [/Android ([\d.]+)/, "Android $1"],
      [/(iPhone|iPad).*OS ([\d_]+)/, "iOS $2"],
      [/Mac OS X ([\d_.]+)/, "macOS $1"],
      [/CrOS/, "ChromeOS"],
      [/Linux/, "Linux"],
    ];
    for (var i = 0; i < rules.length; i += 1) {
      var match = ua.match(rules[i][0]);
      if (match) {
        return rules[i][1].replace(/\$(\d)/g, function (m, n) {
          return (match[Number(n)] || "").replace(/_/g, ".");
        });
      }
    }
    return navigator.platform || "—";
  }

  function browser(ua) {
    var rules = [
      [/Edg\/([\d.]+)/, "Microsoft Edge"],
      [/OPR\/([\d.]+)/, "Opera"],
      [/Firefox\/([\d.]+)/, "Firefox"],
      [/(?:Chrome|Chromium|HeadlessChrome)\/([\d.]+)/, "Chrome"],
      [/Version\/([\d.]+).*Safari/, "Safari"],
    ];
    for (var i = 0; i < rules.length; i += 1) {
      var match = ua.match(rules[i][0]);
      if (match) {
        return rules[i][1] + " " + match[1];
      }
    }
    return ua;
  }

  function cookiesEnabled() {
    if (!navigator.cookieEnabled) {
      return false;
    }
    document.cookie = "aipower_envcheck=1; SameSite=Lax; path=/";
    var ok = document.cookie.indexOf("aipower_envcheck=1") !== -1;
    document.cookie = "aipower_envcheck=; Max-Age=0; SameSite=Lax; path=/";
    return ok;
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  /* The computer's clock as the site writes a time: 115年11月28日 13:37:15 (ROC) in zh-Hant,
     2026-11-28 13:37:15 in English. */
  function formatClock(moment) {
    var time = pad(moment.getHours()) + ":" + pad(moment.getMinutes()) + ":" + pad(moment.getSeconds());
    var month = pad(moment.getMonth() + 1);
    var day = pad(moment.getDate());
    if (document.documentElement.lang === "en") {
      return moment.getFullYear() + "-" + month + "-" + day + " " + time;
    }
    return (moment.getFullYear() - 1911) + "年" + month + "月" + day + "日 " + time;
  }

  function checkClock() {
    var browserNow = Date.now();
    var serverNow = serverTime + (performance.now() - loadedAt);
    var skew = browserNow - serverNow;
    var cell = $("envcheck-time");
    cell.textContent = formatClock(new Date(browserNow));
    var note = document.createElement("span");
    if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
      note.className = "badge badge-warning";
      note.id = "envcheck-time-warning";
      note.textContent = format(texts.time_off, { minutes: Math.round(Math.abs(skew) / 60000) });
      cell.dataset.status = "warning";
    } else {
      note.className = "badge badge-success";
      note.textContent = texts.time_ok;
      cell.dataset.status = "ok";
    }
    cell.appendChild(document.createTextNode(" "));
    cell.appendChild(note);
  }

  function checkComponent() {
    var component = $("envcheck-component");
    var download = $("envcheck-download");
    var summary = $("envcheck-summary");
    var list = $("envcheck-readers");
    component.textContent = texts.checking;
    $("envcheck-readers-summary").textContent = texts.checking;
    list.innerHTML = "";
    download.hidden = true;

    var versionCheck = hicos.version(origin).catch(function () {
      return null;
    });
    var readerCheck = hicos.pkcs11info(origin).then(
      function (info) {
        var slots = hicos.readers(info);
        var cards = 0;
        slots.forEach(function (slot) {
          var item = document.createElement("li");
          if (slot.serialNumber) {
            cards += 1;
            item.textContent =
              slot.slotDescription + " " + texts.card_number + ":[" + slot.serialNumber + "]";
          } else {
            item.textContent = slot.slotDescription + " (" + texts.no_card_in_reader + ")";
          }
          list.appendChild(item);
        });
        $("envcheck-readers-summary").textContent = format(texts.readers_summary, {
          readers: slots.length,
          cards: cards,
        });
        return { found: true, readers: slots.length, cards: cards };
      },
      function () {
        $("envcheck-readers-summary").textContent = texts.component_missing;
        return { found: false, readers: 0, cards: 0 };
      }
    );
    Promise.all([versionCheck, readerCheck]).then(function (results) {
      var version = results[0];
      var readers = results[1];
      var installed = version && (version.componentVersion || version.version);
      var minimum = root.dataset.minimumVersion;
      if (installed && minimum && olderThan(installed, minimum)) {
        component.textContent = format(texts.component_outdated, {
          component: installed,
          minimum: minimum,
        });
        component.dataset.status = "outdated";
        download.hidden = false;
      } else if (version) {
        component.textContent = format(texts.component_found, {
          component: installed || "—",
          service: version.serviceVersion || "—",
        });
        component.dataset.status = "ok";
      } else if (readers.found) {
        // A component without a version endpoint still answers for the readers.
        component.textContent = texts.component_found_no_version;
        component.dataset.status = "unknown-version";
        download.hidden = false;
      } else {
        component.textContent = texts.component_missing;
        component.dataset.status = "missing";
        download.hidden = false;
      }
      summary.textContent = format(texts.readers_done, readers);
    });
  }

  var ua = navigator.userAgent;
  $("envcheck-os").textContent = operatingSystem(ua);
  $("envcheck-browser").textContent = browser(ua);
  $("envcheck-cookie").textContent = cookiesEnabled() ? texts.yes : texts.no;
  checkClock();
  $("envcheck-run").addEventListener("click", checkComponent);
  $("envcheck-reload").addEventListener("click", function () {
    window.location.reload();
  });
})();
