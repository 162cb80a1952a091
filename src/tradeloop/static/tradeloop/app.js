// Tradeloop's only script: small progressive enhancements. Every page works without it.
(function () {
  "use strict";

  // Close an open <details class="menu"> when clicking elsewhere or pressing Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  // Gallery: clicking a thumbnail shows it in the main frame (the link still opens the image without JS).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-gallery-thumb]");
    if (!link) return;
    var main = document.querySelector("[data-gallery-main]");
    if (!main) return;
    event.preventDefault();
    main.src = link.getAttribute("href");
    document.querySelectorAll("[data-gallery-thumb]").forEach(function (other) {
      other.setAttribute("aria-current", other === link ? "true" : "false");
    });
  });

  // Panels marked data-open-wide (list filters) start open on wide screens and closed on phones.
  if (window.matchMedia("(min-width: 900px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (panel) {
      panel.setAttribute("open", "");
    });
  }

  // Selects marked data-autosubmit submit their form on change (sorting on list pages), unless htmx already sends
  // the form on change (hx-get / hx-post forms).
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!event.target.matches("select[data-autosubmit]") || !form || form.matches("[hx-get], [hx-post]")) return;
    form.requestSubmit();
  });

  // Data tables become cards on phones (app.css): each cell gets its column's heading as data-label, and the first
  // column with a heading is marked data-primary (the card's title), unless the template marked a cell itself.
  // Headings hidden from sight label nothing.
  function headingText(th) {
    var copy = th.cloneNode(true);
    copy.querySelectorAll(".visually-hidden").forEach(function (hidden) { hidden.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  function labelTables(root) {
    root.querySelectorAll("table.table:not(.table-plain)").forEach(function (table) {
      var headings = table.querySelectorAll(":scope > thead > tr > th");
      if (!headings.length) return;
      var labels = Array.prototype.map.call(headings, headingText);
      var primary = labels.findIndex(function (label) { return label !== ""; });
      table.querySelectorAll(":scope > tbody > tr").forEach(function (row) {
        var marked = row.querySelector(":scope > [data-primary]") !== null;
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (index >= labels.length || cell.hasAttribute("data-label")) return;
          cell.setAttribute("data-label", labels[index]);
          if (index === primary && !marked && cell.colSpan === 1) cell.setAttribute("data-primary", "");
        });
      });
    });
  }
  labelTables(document);
  document.addEventListener("htmx:load", function (event) { labelTables(event.target.parentNode || document); });

  // A 400 answer is the page again with what was wrong in the input (e.g. a bad storefront filter): htmx leaves
  // 4xx answers unshown by default, so show it like a successful one instead of silently keeping the old results.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Copy buttons: <button data-copy="#id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = button.getAttribute("data-copied") || "Copied";
    });
  });
})();
