// Imprint admin: progressive enhancements. Every page works without this
// file (the editor's Preview button and row buttons post the form); it adds
// the live preview, slug suggestions and the person picker's search.
"use strict";

(function () {
  var form = document.getElementById("pub-form");
  if (!form) {
    return;
  }

  function debounce(fn, ms) {
    var t = null;
    return function () {
      clearTimeout(t);
      t = setTimeout(fn, ms);
    };
  }

  // The form's fields without files, as the preview endpoint reads them.
  function formBody() {
    var body = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string") {
        body.append(key, value);
      }
    });
    return body;
  }

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) {
      el.textContent = text;
    }
  }

  // The server sanitized this HTML with the site's one policy (richtext);
  // it is the same markup the no-JavaScript preview embeds.
  function setHTML(id, html) {
    var el = document.getElementById(id);
    if (el) {
      el.innerHTML = html;
    }
  }

  var seq = 0;
  function preview() {
    var mine = ++seq;
    setText("preview-state", "Updating…");
    fetch(form.getAttribute("data-preview"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRF-Token": form.getAttribute("data-csrf"), "Content-Type": "application/x-www-form-urlencoded"},
      body: formBody()
    }).then(function (res) {
      if (!res.ok) {
        throw new Error("preview answered " + res.status);
      }
      return res.json();
    }).then(function (data) {
      if (mine !== seq) {
        return; // a newer preview is on its way
      }
      setText("preview-issued", data.issued || "");
      setText("issued-formatted", data.issued || "");
      var box = document.getElementById("preview-citations");
      if (box) {
        box.textContent = "";
        (data.citations || []).forEach(function (c) {
          var div = document.createElement("div");
          div.className = "citation";
          div.setAttribute("data-style", c.key);
          var label = document.createElement("strong");
          label.textContent = c.label;
          div.appendChild(label);
          div.appendChild(document.createElement("br"));
          var body = document.createElement("span");
          if (c.error) {
            body.className = "muted";
            body.textContent = c.error;
          } else {
            body.innerHTML = c.html;
          }
          div.appendChild(body);
          box.appendChild(div);
        });
      }
      setHTML("preview-summary", data.summary || "");
      setHTML("preview-fulltext", data.fullText || "");
      var errs = data.errors || {};
      var keys = Object.keys(errs).sort();
      setText("preview-state", keys.length === 0 ? "Up to date." :
        "Not saved yet; to fix: " + keys.map(function (k) { return k + " " + errs[k]; }).join("; "));
    }).catch(function (err) {
      if (mine === seq) {
        setText("preview-state", "The preview is unavailable (" + err.message + "); Preview still works.");
      }
    });
  }

  var later = debounce(preview, 400);
  form.addEventListener("input", function (ev) {
    if (ev.target && ev.target.type !== "file") {
      later();
    }
  });
  form.addEventListener("change", later);
  var button = document.getElementById("preview-button");
  if (button) {
    button.addEventListener("click", function (ev) {
      ev.preventDefault();
      preview();
    });
  }

  // Slug suggestion: an empty slug is made from the title on save; show
  // what it will be.
  function slugify(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/['\u2019\u02bc]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 120);
  }
  var slug = document.getElementById("slug");
  var title = document.getElementById("title");
  if (slug && title && slug.getAttribute("data-suggest-from")) {
    var suggest = function () { slug.placeholder = slugify(title.value); };
    title.addEventListener("input", suggest);
    suggest();
  }

  // Person picker: refill the suggestions from /admin/people.json as the
  // editor types a name.
  var list = document.getElementById("people-list");
  var lookup = debounce(function () {
    var el = document.activeElement;
    if (!el || !el.classList.contains("person-pick") || el.value.trim() === "") {
      return;
    }
    fetch("/admin/people.json?q=" + encodeURIComponent(el.value.trim()), {credentials: "same-origin"})
      .then(function (res) { return res.ok ? res.json() : []; })
      .then(function (people) {
        if (!list || people.length === 0) {
          return;
        }
        list.textContent = "";
        people.forEach(function (p) {
          var o = document.createElement("option");
          o.value = p.slug;
          o.textContent = p.name + (p.roleLine ? " — " + p.roleLine : "");
          list.appendChild(o);
        });
      })
      .catch(function () {});
  }, 250);
  form.addEventListener("input", function (ev) {
    if (ev.target && ev.target.classList && ev.target.classList.contains("person-pick")) {
      lookup();
    }
  });
})();
