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
      var problems = data.problems || [];
      setText("preview-state", problems.length === 0 ? "Up to date." :
        "Up to date. To fix before saving: " + problems.join("; "));
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

  // Contributor rows: move, remove and add in the page. Without this the
  // same buttons post the form and the server sends it back rearranged.
  var rows = document.querySelector("#contributors tbody");
  function renumber() {
    Array.prototype.forEach.call(rows.rows, function (tr, i) {
      var n = String(i + 1);
      tr.querySelectorAll("[id^='c-person-'], [id^='c-role-']").forEach(function (el) {
        el.id = el.id.replace(/-\d+$/, "-" + i);
      });
      tr.querySelectorAll("label[for^='c-']").forEach(function (el) {
        el.htmlFor = el.htmlFor.replace(/-\d+$/, "-" + i);
        el.textContent = el.textContent.replace(/\d+$/, n);
      });
      tr.querySelectorAll("[aria-label]").forEach(function (el) {
        el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/(person )\d+/i, "$1" + n));
      });
      tr.querySelectorAll("button[name=op]").forEach(function (b) {
        b.value = b.value.replace(/:\d+$/, ":" + i);
      });
    });
  }
  function addRow() {
    var last = rows.rows[rows.rows.length - 1];
    var tr = last.cloneNode(true);
    tr.classList.remove("invalid");
    tr.querySelectorAll(".field-error, .person-name").forEach(function (el) { el.remove(); });
    tr.querySelectorAll("input").forEach(function (el) { el.value = ""; });
    var role = tr.querySelector("select");
    if (role) {
      role.selectedIndex = 0;
    }
    rows.appendChild(tr);
    renumber();
    var first = tr.querySelector("input");
    if (first) {
      first.focus();
    }
  }
  form.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button[name=op]") : null;
    if (!b || !rows || rows.rows.length === 0) {
      return;
    }
    ev.preventDefault();
    var parts = b.value.split(":");
    var tr = b.closest("tr");
    if (parts[0] === "add") {
      addRow();
    } else if (parts[0] === "up" && tr && tr.previousElementSibling) {
      rows.insertBefore(tr, tr.previousElementSibling);
    } else if (parts[0] === "down" && tr && tr.nextElementSibling) {
      rows.insertBefore(tr.nextElementSibling, tr);
    } else if (parts[0] === "remove" && tr) {
      if (rows.rows.length === 1) {
        addRow(); // keep one empty row to type into
      }
      tr.remove();
    }
    renumber();
    later();
  });

  // A second click on Save while the first is on its way would post the
  // form twice; a new publication would then be created, then refused as a
  // duplicate slug.
  var sent = false;
  form.addEventListener("submit", function (ev) {
    if (sent) {
      ev.preventDefault();
      return;
    }
    sent = true;
    // Back/forward cache: a page shown again may post again.
    window.addEventListener("pageshow", function () { sent = false; }, {once: true});
  });

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
