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
// A character counter under each textarea that has a limit: "1 234 / 20 000" as the person types,
// and, only near or over the limit, a polite announcement for screen readers ("Characters left: 80").
// The limit comes from the form field (its maxlength); the words come from the field's data attributes,
// already in the page's language. The maxlength itself is lifted: a browser cuts a longer paste at
// maxlength without a word, whereas with the counter the whole text comes in, the counter shows how
// much is too much, and the server refuses it with both counts. Without script, maxlength still holds.
function countCharacters(root) {
  const language = document.documentElement.lang || undefined;
  for (const area of root.querySelectorAll("textarea[maxlength]")) {
    const max = Number(area.getAttribute("maxlength"));
    if (!max || !area.id) {
      continue;
    }
    area.removeAttribute("maxlength");
    area.dataset.polkuMaxlength = String(max);
    const counter = document.createElement("p");
    counter.className = "polku-counter";
    counter.id = `${area.id}-counter`;
    const spoken = document.createElement("p");
    spoken.className = "polku-visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    // Below the field's frame (HDS lays the frame out in a row), above its error message.
    const frame = area.closest(".hds-text-input__input-wrapper") || area;
    frame.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", spoken);
    const described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);
    const near = Math.max(20, Math.floor(max / 10));
    let pending = null;
    const update = () => {
      const count = area.value.length;
      counter.textContent = `${count.toLocaleString(language)} / ${max.toLocaleString(language)}`;
      counter.classList.toggle("polku-counter--over", count > max);
      // Announced after a pause in typing, so that a screen reader is not interrupted at every key.
      window.clearTimeout(pending);
      pending = window.setTimeout(() => {
        const left = max - count;
        let words = "";
        if (left < 0) {
          words = (area.dataset.polkuOver || "%(count)s").replace("%(count)s", (-left).toLocaleString(language));
        } else if (left <= near) {
          words = (area.dataset.polkuLeft || "%(count)s").replace("%(count)s", left.toLocaleString(language));
        }
        if (spoken.textContent !== words) {
          spoken.textContent = words;
        }
      }, 600);
    };
    area.addEventListener("input", update);
    update();
  }
}
document.addEventListener("DOMContentLoaded", () => countCharacters(document));
document.addEventListener("htmx:afterSwap", (event) => countCharacters(event.target));
