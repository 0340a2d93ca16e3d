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
