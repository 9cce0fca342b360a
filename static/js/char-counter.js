// A live character count under each long-text box (textarea[data-max-chars]),
// so a reporter sees a narrative pass the limit while typing, before saving.
// Texts come from the page (data-counter-text, data-over-text), translated there.
(function () {
  "use strict";
  var format = new Intl.NumberFormat("en-US");

  function fill(template, count, limit) {
    return template.replace("{count}", format.format(count)).replace("{limit}", format.format(limit))
      .replace("{over}", format.format(count - limit));
  }

  function attach(box) {
    var limit = parseInt(box.dataset.maxChars, 10);
    var counter = document.createElement("div");
    counter.className = "form-text char-counter";
    counter.id = box.id + "_counter";
    counter.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", counter);
    var described = (box.getAttribute("aria-describedby") || "").trim();
    box.setAttribute("aria-describedby", (described + " " + counter.id).trim());

    function update() {
      // Count as the server does: line endings become one character.
      var count = box.value.replace(/\r\n/g, "\n").length;
      var over = count > limit;
      counter.textContent = fill(over ? box.dataset.overText : box.dataset.counterText, count, limit);
      counter.classList.toggle("text-danger", over);
      counter.classList.toggle("fw-semibold", over);
      box.classList.toggle("is-invalid", over);
    }
    box.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("textarea[data-max-chars]").forEach(attach);
})();
