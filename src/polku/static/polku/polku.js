// Small behaviours that need script; every page works without it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-polku-print]");
  if (button) {
    window.print();
  }
});
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary after a rejected form, so screen readers announce it.
  const summary = document.querySelector("[data-polku-focus]");
  if (summary) {
    summary.focus();
  }
});
// An htmx request that the server refused (403, 404, 500) swaps nothing: load the page again, so that
// the server's own page says what happened instead of a button that seems to do nothing.
document.addEventListener("htmx:responseError", () => {
  window.location.assign(window.location.href);
});
// Tables stack into rows on a phone (polku.css): each cell carries its column's heading as data-label
// for the stacked view, and the table its roles, which screen readers otherwise lose when CSS turns
// the cells into blocks. Runs again on what htmx swaps in.
function labelTables(root) {
  for (const table of root.querySelectorAll("table.polku-table")) {
    // The heading as seen: without the visually hidden words a sort link adds for screen readers.
    const headings = Array.from(table.querySelectorAll("thead th")).map((th) => {
      const copy = th.cloneNode(true);
      copy.querySelectorAll(".polku-visually-hidden").forEach((hidden) => hidden.remove());
      return copy.textContent.trim();
    });
    table.setAttribute("role", "table");
    for (const group of table.querySelectorAll("thead, tbody, tfoot")) {
      group.setAttribute("role", "rowgroup");
    }
    for (const row of table.querySelectorAll("tr")) {
      row.setAttribute("role", "row");
      Array.from(row.children).forEach((cell, index) => {
        if (cell.tagName === "TH") {
          cell.setAttribute("role", cell.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
        } else {
          cell.setAttribute("role", "cell");
          if (!cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", headings[index] || "");
          }
        }
      });
    }
  }
}
document.addEventListener("DOMContentLoaded", () => labelTables(document));
document.addEventListener("htmx:afterSwap", (event) => labelTables(event.target));
