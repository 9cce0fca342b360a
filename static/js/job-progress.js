// The print job page: polls the job's JSON status every 1.5 s and updates
// the progress bar, the count, the time left, and shows the download link or
// the error with its retry button, without reloading the page (an import's
// page reloads when done, to show the preview or the outcome). Texts come
// from the page's data-text-* attributes, translated there.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;

  function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }
  function duration(seconds) {
    if (seconds >= 90) return fill(box.dataset.textMinutes, { n: Math.round(seconds / 60) });
    return fill(box.dataset.textSeconds, { n: Math.max(1, seconds) });
  }

  function show(job) {
    box.dataset.status = job.status;
    field("status_label").textContent = job.status_label;
    field("bar").value = job.percent;
    field("bar").textContent = job.percent + "%";
    field("percent").textContent = job.percent;
    field("left").textContent = job.seconds_left === null ? "" : fill(box.dataset.textLeft, { time: duration(job.seconds_left) });
    var detail = "";
    if (job.status === "queued") detail = box.dataset.textQueued;
    else if (job.status === "running" && job.total && job.done >= job.total) detail = box.dataset.textAssembling;
    else if (job.status === "running") detail = fill(box.dataset.textSheets, { done: job.done, total: job.total });
    field("detail").textContent = detail;
    field("error").textContent = job.error;
    box.querySelectorAll("[data-show]").forEach(function (part) {
      part.hidden = part.dataset.show !== job.status;
    });
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (job) show(job);
        // An import's page shows its outcome once it is done: load it.
        if (job && job.status === "done" && box.dataset.reloadWhenDone) { window.location.reload(); return; }
        if (!job || job.status === "queued" || job.status === "running") setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }

  if (box.dataset.status === "queued" || box.dataset.status === "running") poll();
})();
