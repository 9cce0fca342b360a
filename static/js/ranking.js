// The ranking page's year select goes straight to that year's page (each
// option's value is the page's address); the rest of the form is plain GET.
document.querySelectorAll("select[data-navigate]").forEach(function (select) {
  select.removeAttribute("name");
  select.addEventListener("change", function () {
    var query = new URLSearchParams(new FormData(select.form)).toString();
    window.location.href = select.value + (query ? "?" + query : "");
  });
});
