// Small behaviours of the pages, kept out of the HTML so the
// Content-Security-Policy can refuse every inline script.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-action]");
  if (!target) return;
  if (target.dataset.action === "back" && history.length > 1) {
    // Back to the filtered list the user came from, not its first page.
    event.preventDefault();
    history.back();
  } else if (target.dataset.action === "print") {
    event.preventDefault();
    window.print();
  }
});
