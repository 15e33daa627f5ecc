// newsarchive: fold the long list of column descriptions on table pages into a <details>.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("dl.column-descriptions").forEach(function (dl) {
    var details = document.createElement("details");
    details.className = "column-descriptions";
    var summary = document.createElement("summary");
    summary.textContent = "Column descriptions";
    dl.parentNode.insertBefore(details, dl);
    details.appendChild(summary);
    details.appendChild(dl);
  });
});
