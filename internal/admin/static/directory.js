// Imprint admin: the live preview of the Markdown of bios and descriptions
// on the people, topic and region forms. Without this file the forms'
// Preview button shows the same rendering after a round trip.
"use strict";

(function () {
  var fields = document.querySelectorAll("textarea[data-preview]");
  Array.prototype.forEach.call(fields, function (field) {
    var out = document.querySelector('[data-preview-output="' + field.getAttribute("data-preview") + '"]');
    var tokenField = field.form && field.form.querySelector('input[name="csrf_token"]');
    if (!out || !tokenField) {
      return;
    }
    var timer = null;
    var seq = 0;
    function update() {
      var mine = ++seq;
      var body = new URLSearchParams();
      body.append("text", field.value);
      fetch("/admin/markdown", {
        method: "POST",
        credentials: "same-origin",
        headers: {"X-CSRF-Token": tokenField.value, "Content-Type": "application/x-www-form-urlencoded"},
        body: body
      }).then(function (res) {
        if (!res.ok) {
          throw new Error("preview answered " + res.status);
        }
        return res.json();
      }).then(function (data) {
        if (mine !== seq) {
          return; // a newer preview is on its way
        }
        // The server sanitized this HTML with the site's one policy.
        out.innerHTML = data.html || "";
      }).catch(function () {
        // The Preview button still works; leave the last preview.
      });
    }
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
  });
})();
