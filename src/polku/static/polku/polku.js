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
