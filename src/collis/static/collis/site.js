/* Progressive enhancement for every page (strict CSP: no inline script). Wide data tables
   scroll inside their own keyboard-focusable region on a phone, not the whole page. */
(function () {
  "use strict";
  document.querySelectorAll("table.data, table.calendar").forEach(function (table) {
    var parent = table.parentElement;
    if (parent.classList.contains("table-scroll") || parent.classList.contains("table-wrap")
        || parent.classList.contains("calendar-wrap")) {
      parent.classList.add("table-scroll");
      if (!parent.hasAttribute("tabindex")) { parent.setAttribute("tabindex", "0"); }
      if (!parent.hasAttribute("role")) { parent.setAttribute("role", "region"); }
    } else {
      var wrap = document.createElement("div");
      wrap.className = "table-scroll";
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      parent.insertBefore(wrap, table);
      wrap.appendChild(table);
      parent = wrap;
    }
    var caption = table.querySelector("caption");
    if (!parent.hasAttribute("aria-label")) {
      parent.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    }
  });
})();
