// The book form: on every change of its choices, asks the server how many
// sheets the book would make (or why it cannot be printed) and says so
// under the form, before anything is submitted. The text comes translated
// from the server (reports/views/printing.book_count).
(function () {
  "use strict";
  var form = document.getElementById("book-form");
  var out = document.getElementById("book-size");
  if (!form || !out) return;
  var asked = 0;

  function update() {
    var query = new URLSearchParams();
    ["year", "agency", "district_group", "dimension"].forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) query.set(name, field.value);
    });
    var mine = ++asked;
    fetch(form.dataset.countUrl + "?" + query.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || mine !== asked) return;
        out.textContent = answer.text;
        out.classList.toggle("text-danger", !answer.printable);
      })
      .catch(function () {});
  }

  form.addEventListener("change", update);
})();
