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

  // The server's count (reports/forms.py LongTextField): Django strips the
  // whitespace Python's str.strip() strips (not JavaScript's trim(): it
  // differs), line endings become "\n", and Python counts code points, so an
  // emoji is one character where JavaScript's length sees two UTF-16 units.
  var PYTHON_SPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
  var SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

  function serverLength(text) {
    var start = 0, end = text.length;
    while (start < end && PYTHON_SPACE.test(text[start])) start++;
    while (end > start && PYTHON_SPACE.test(text[end - 1])) end--;
    return text.slice(start, end).replace(/\r\n?/g, "\n").replace(SURROGATE_PAIR, "x").length;
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
      var count = serverLength(box.value);
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
