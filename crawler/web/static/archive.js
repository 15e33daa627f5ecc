// newsarchive: fold the long lists a reader rarely needs on table pages into <details>:
// the column descriptions and the table's SQL schema.
document.addEventListener("DOMContentLoaded", function () {
  function fold(element, label, className) {
    var details = document.createElement("details");
    details.className = className;
    var summary = document.createElement("summary");
    summary.textContent = label;
    element.parentNode.insertBefore(details, element);
    details.appendChild(summary);
    details.appendChild(element);
  }
  document.querySelectorAll("dl.column-descriptions").forEach(function (dl) {
    fold(dl, "Column descriptions", "column-descriptions");
  });
  document.querySelectorAll("body.table pre.wrapped-sql").forEach(function (pre) {
    fold(pre, "Table schema (SQL)", "table-schema");
  });
});
