// Show the Print button only when scripts run (the page prints fine from the browser menu too).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
