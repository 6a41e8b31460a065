// Poll the analysis status and reload the page once it has finished. Without JavaScript the
// page offers a "Refresh" link instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var label = box.querySelector("[data-status-label]");
  var bar = box.querySelector("[data-status-progress]");
  var note = box.querySelector("[data-status-note]");
  var delay = 1500;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (label) { label.textContent = data.label; }
        if (bar) { bar.value = data.percent; bar.textContent = data.percent + " %"; }
        if (note) { note.textContent = data.note; }
        if (data.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // Back off on errors (network, signed out); the Refresh link still works.
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
