// Progressive enhancement for the publication page. Everything works without
// this file: the Cite link jumps to the citation section and the style
// switch is pure CSS. With it, Cite opens a modal dialog, Copy and Print
// appear, and focus returns to the Cite button when the dialog closes.
(function () {
  "use strict";

  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  var dialog = document.getElementById("cite");
  var opener = document.querySelector("[data-cite-open]");
  if (!dialog || !opener || typeof dialog.showModal !== "function") {
    return;
  }

  // From here on the dialog is modal; the :target fallback in the
  // stylesheet stands down.
  document.documentElement.classList.add("js-dialog");
  opener.setAttribute("role", "button");
  opener.setAttribute("aria-haspopup", "dialog");
  opener.addEventListener("click", function (event) {
    event.preventDefault();
    dialog.showModal();
    var checked = dialog.querySelector("input[name=cite-style]:checked");
    if (checked) { checked.focus(); }
  });
  // A keyboard user reaches role=button links with Space as well as Enter.
  opener.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      opener.click();
    }
  });

  dialog.addEventListener("close", function () {
    // Drop #cite so that a reload does not open the dialog again.
    if (location.hash === "#cite") {
      history.replaceState(null, "", location.pathname + location.search);
    }
    opener.focus();
  });

  // A link to the page's #cite (shared, or followed before this script
  // ran) opens the dialog as the button would.
  if (location.hash === "#cite") {
    dialog.showModal();
  }

  // Clicking the backdrop closes the dialog, as Escape does.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) {
      var r = dialog.getBoundingClientRect();
      var inside = event.clientX >= r.left && event.clientX <= r.right &&
        event.clientY >= r.top && event.clientY <= r.bottom;
      if (!inside) { dialog.close(); }
    }
  });

  var close = dialog.querySelector("[data-cite-close]");
  if (close) {
    close.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.close();
    });
  }

  var status = dialog.querySelector(".copy-status");
  var copy = dialog.querySelector("[data-cite-copy]");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var checked = dialog.querySelector("input[name=cite-style]:checked");
      var key = checked ? checked.value : "";
      var entry = dialog.querySelector('.cite-output[data-style="' + key + '"] .csl-entry');
      if (!entry) { return; }
      navigator.clipboard.writeText(entry.textContent.trim()).then(function () {
        if (status) { status.textContent = "Citation copied."; }
      }, function () {
        if (status) { status.textContent = "Copying failed; select the citation and copy it instead."; }
      });
    });
  }
})();
