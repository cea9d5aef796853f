package admin

import (
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"slices"

	"github.com/imprintpub/imprint/internal/citation"
)

// previewView is the rendered preview of the editor's form: the Markdown
// as readers will see it and the citations from the site's own engine.
type previewView struct {
	Summary   template.HTML
	FullText  template.HTML
	Issued    string // the date as readers see it
	Citations []citation.View
}

// previewOf renders b's publication as the public page would.
func (s *server) previewOf(b *built) *previewView {
	p := b.Pub
	pv := &previewView{Issued: p.Issued.Format()}
	// Render falls back to escaped text on failure, which is what a
	// preview should show.
	pv.Summary, _ = s.md.Render(p.Summary)
	pv.FullText, _ = s.md.Render(p.FullText)
	item := p.CSL()
	for _, ds := range citation.DialogStyles {
		pv.Citations = append(pv.Citations, s.cites.Cite(ds, item))
	}
	return pv
}

// previewJSON is the answer of POST /admin/preview.
type previewJSON struct {
	Summary   template.HTML  `json:"summary"`
	FullText  template.HTML  `json:"fullText"`
	Issued    string         `json:"issued"`
	Citations []citationJSON `json:"citations"`
	// Errors is keyed by field path, as model.FieldError names fields;
	// Problems says the same in words, sorted, for people.
	Errors   map[string]string `json:"errors"`
	Problems []string          `json:"problems"`
}

type citationJSON struct {
	Key   string        `json:"key"`
	Label string        `json:"label"`
	HTML  template.HTML `json:"html"`
	Text  string        `json:"text"`
	Error string        `json:"error,omitempty"`
}

// preview renders the editor's form without saving it, for admin.js's
// live preview panel: sanitized HTML of the summary and full text, the MLA,
// APA and Chicago citations, and the problems the form has so far. The
// token comes in the X-CSRF-Token header.
func (s *server) preview(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.badRequest(w, r, "The form could not be read: "+err.Error())
		return
	}
	f := parsePubForm(r.PostForm)
	p := newDraft(user(r).ID)
	b, errs, err := s.apply(r.Context(), f, p)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: preview: %w", err))
		return
	}
	if ve, ok := fieldErrors(p.Validate()); ok {
		for k, m := range ve {
			if !isNewRowPerson(k, b.NewRows) {
				errs.add(k, m)
			}
		}
	}
	pv := s.previewOf(b)
	out := previewJSON{Summary: pv.Summary, FullText: pv.FullText, Issued: pv.Issued, Errors: errs, Problems: []string{}}
	for _, k := range slices.Sorted(maps.Keys(errs)) {
		out.Problems = append(out.Problems, fieldLabel(k)+": "+errs[k])
	}
	for _, c := range pv.Citations {
		cj := citationJSON{Key: c.Key, Label: c.Label, HTML: c.HTML, Text: c.Text}
		if c.Err != nil {
			cj.Error = "This citation cannot be formatted yet."
			s.log.WarnContext(r.Context(), "preview citation failed", "style", c.StyleID, "err", c.Err)
		}
		out.Citations = append(out.Citations, cj)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(out); err != nil {
		s.log.ErrorContext(r.Context(), "preview write failed", "err", err)
	}
}
