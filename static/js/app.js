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

// A form sent back with errors: the focus goes to the first field in error,
// so a screen reader reads its label and its message (aria-describedby)
// and a keyboard user starts where the correction is.
// After "load": the browser's own move to a #fragment comes first.
window.addEventListener("load", function () {
  var invalid = document.querySelector("main [aria-invalid=true]");
  if (invalid) invalid.focus();
});
