package admin

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// term is a topic or a region: the two trees have the same fields and
// rules, so one set of pages serves both.
type term struct {
	ID          int64
	ParentID    int64
	Slug        string
	Name        string
	Description string
}

// termKind says how to read and write one of the two trees.
type termKind struct {
	one, plural string // "topic", "topics": the words in messages and paths
	title       string // "Topics"
	list        func(ctx context.Context, st store.Store) ([]term, error)
	get         func(ctx context.Context, st store.Store, id int64) (*term, error)
	create      func(ctx context.Context, st store.Store, t *term) error
	update      func(ctx context.Context, st store.Store, t *term) error
	delete      func(ctx context.Context, st store.Store, id int64) error
	validate    func(t *term) error
	usedBy      func(id int64) store.PublicationQuery
}

var topicKind = &termKind{
	one: "topic", plural: "topics", title: "Topics",
	list: func(ctx context.Context, st store.Store) ([]term, error) {
		ts, err := st.ListTopics(ctx)
		out := make([]term, len(ts))
		for i, t := range ts {
			out[i] = term(t)
		}
		return out, err
	},
	get: func(ctx context.Context, st store.Store, id int64) (*term, error) {
		t, err := st.Topic(ctx, id)
		if err != nil {
			return nil, err
		}
		tt := term(*t)
		return &tt, nil
	},
	create: func(ctx context.Context, st store.Store, t *term) error {
		mt := model.Topic(*t)
		err := st.CreateTopic(ctx, &mt)
		t.ID = mt.ID
		return err
	},
	update: func(ctx context.Context, st store.Store, t *term) error {
		mt := model.Topic(*t)
		return st.UpdateTopic(ctx, &mt)
	},
	delete:   func(ctx context.Context, st store.Store, id int64) error { return st.DeleteTopic(ctx, id) },
	validate: func(t *term) error { mt := model.Topic(*t); return mt.Validate() },
	usedBy:   func(id int64) store.PublicationQuery { return store.PublicationQuery{TopicID: id} },
}

var regionKind = &termKind{
	one: "region", plural: "regions", title: "Regions",
	list: func(ctx context.Context, st store.Store) ([]term, error) {
		rs, err := st.ListRegions(ctx)
		out := make([]term, len(rs))
		for i, r := range rs {
			out[i] = term(r)
		}
		return out, err
	},
	get: func(ctx context.Context, st store.Store, id int64) (*term, error) {
		r, err := st.Region(ctx, id)
		if err != nil {
			return nil, err
		}
		tt := term(*r)
		return &tt, nil
	},
	create: func(ctx context.Context, st store.Store, t *term) error {
		mr := model.Region(*t)
		err := st.CreateRegion(ctx, &mr)
		t.ID = mr.ID
		return err
	},
	update: func(ctx context.Context, st store.Store, t *term) error {
		mr := model.Region(*t)
		return st.UpdateRegion(ctx, &mr)
	},
	delete:   func(ctx context.Context, st store.Store, id int64) error { return st.DeleteRegion(ctx, id) },
	validate: func(t *term) error { mr := model.Region(*t); return mr.Validate() },
	usedBy:   func(id int64) store.PublicationQuery { return store.PublicationQuery{RegionID: id} },
}

func (k *termKind) path(id int64) string {
	return "/admin/" + k.plural + "/" + strconv.FormatInt(id, 10)
}

// termRow is one line of the tree list or one option of the parent select:
// the term at its depth, in tree order.
type termRow struct {
	term
	Depth    int
	Indent   string // one "— " per level, for the select, which cannot nest
	Selected bool
}

// flattenTree orders terms depth first, children by the store's order
// (by name), so that a tree reads top to bottom. A term whose parent is
// missing, or that sits on a cycle, is still listed, at the top level.
func flattenTree(ts []term) []termRow {
	children := map[int64][]term{}
	known := map[int64]bool{}
	for _, t := range ts {
		known[t.ID] = true
	}
	var roots []term
	for _, t := range ts {
		if t.ParentID != 0 && known[t.ParentID] && t.ParentID != t.ID {
			children[t.ParentID] = append(children[t.ParentID], t)
		} else {
			roots = append(roots, t)
		}
	}
	out := make([]termRow, 0, len(ts))
	seen := map[int64]bool{}
	var walk func(t term, depth int)
	walk = func(t term, depth int) {
		if seen[t.ID] {
			return
		}
		seen[t.ID] = true
		out = append(out, termRow{term: t, Depth: depth, Indent: strings.Repeat("— ", depth)})
		for _, c := range children[t.ID] {
			walk(c, depth+1)
		}
	}
	for _, t := range roots {
		walk(t, 0)
	}
	for _, t := range ts { // on a cycle: unreachable from any root
		walk(t, 0)
	}
	return out
}

// descendants returns id and every term below it.
func descendants(ts []term, id int64) map[int64]bool {
	out := map[int64]bool{id: true}
	for changed := true; changed; {
		changed = false
		for _, t := range ts {
			if !out[t.ID] && out[t.ParentID] {
				out[t.ID] = true
				changed = true
			}
		}
	}
	return out
}

// termListView is the data of terms_list.html.
type termListView struct {
	Kind, Plural, Title string
	Rows                []termRow
	CanEdit             bool
	PublicBase          string
}

func (s *server) listTerms(k *termKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ts, err := k.list(r.Context(), s.store)
		if err != nil {
			s.serverError(w, r, fmt.Errorf("admin: list %s: %w", k.plural, err))
			return
		}
		v := termListView{Kind: k.one, Plural: k.plural, Title: k.title, Rows: flattenTree(ts), CanEdit: canEditDirectory(r), PublicBase: s.baseURL}
		s.render(w, r, http.StatusOK, "terms_list", page{Title: k.title, Section: k.plural, Data: v})
	}
}

// termView is the data of terms_form.html.
type termView struct {
	Kind, Plural, Title string
	ID                  int64
	Term                term
	Parents             []termRow
	Errors              formErrors
	Problem             string
	Description         template.HTML
	Action              string
	Public              string
}

func (s *server) newTerm(k *termKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := &term{}
		if p, err := strconv.ParseInt(r.URL.Query().Get("parent"), 10, 64); err == nil && p > 0 {
			t.ParentID = p
		}
		s.renderTerm(w, r, k, http.StatusOK, t, nil, "", false)
	}
}

func (s *server) editTerm(k *termKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, ok := s.loadTerm(w, r, k)
		if !ok {
			return
		}
		s.renderTerm(w, r, k, http.StatusOK, t, nil, "", false)
	}
}

func (s *server) loadTerm(w http.ResponseWriter, r *http.Request, k *termKind) (*term, bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	t, err := k.get(r.Context(), s.store, id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: %s %d: %w", k.one, id, err))
		return nil, false
	}
	return t, true
}

// renderTerm shows the form; the parent select leaves out the term itself
// and everything below it, which could only make a cycle (the store
// refuses one sent anyway).
func (s *server) renderTerm(w http.ResponseWriter, r *http.Request, k *termKind, status int, t *term, errs formErrors, problem string, preview bool) {
	all, err := k.list(r.Context(), s.store)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: list %s: %w", k.plural, err))
		return
	}
	var below map[int64]bool
	if t.ID != 0 {
		below = descendants(all, t.ID)
	}
	v := termView{Kind: k.one, Plural: k.plural, Title: k.title, ID: t.ID, Term: *t, Errors: errs, Problem: problem,
		Action: "/admin/" + k.plural + "/new"}
	for _, row := range flattenTree(all) {
		if below[row.ID] {
			continue
		}
		row.Selected = row.ID == t.ParentID
		v.Parents = append(v.Parents, row)
	}
	if t.ID != 0 {
		v.Action = k.path(t.ID)
		v.Public = s.baseURL + "/" + k.plural + "/" + t.Slug
	}
	if preview || t.Description != "" {
		v.Description, _ = s.md.Render(t.Description)
	}
	title := "New " + k.one
	if t.ID != 0 {
		title = "Edit " + t.Name
	}
	s.render(w, r, status, "terms_form", page{Title: title, Section: k.plural, Data: v})
}

// saveTerm creates (…/new) or updates a topic or region from the form.
func (s *server) saveTerm(k *termKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if err := parseForm(r, formLimit); err != nil {
			s.formTooLarge(w, r, err)
			return
		}
		t := &term{}
		if !isNew(r) {
			stored, ok := s.loadTerm(w, r, k)
			if !ok {
				return
			}
			t = stored
		}
		f := r.PostForm
		errs := formErrors{}
		t.Name = strings.TrimSpace(f.Get("Name"))
		t.Slug = strings.TrimSpace(f.Get("Slug"))
		if t.Slug == "" {
			t.Slug = model.Slugify(t.Name)
		}
		t.Description = strings.TrimRight(strings.ReplaceAll(f.Get("Description"), "\r\n", "\n"), " \n\t")
		t.ParentID = 0
		if p := strings.TrimSpace(f.Get("ParentID")); p != "" && p != "0" {
			id, err := strconv.ParseInt(p, 10, 64)
			if err != nil || id <= 0 {
				errs.add("ParentID", "must be one of the listed "+k.plural)
			} else {
				t.ParentID = id
			}
		}
		if f.Get("do") == "preview" {
			s.renderTerm(w, r, k, http.StatusOK, t, errs, "", true)
			return
		}
		if err := k.validate(t); err != nil {
			if fe, ok := fieldErrors(err); ok {
				for fld, m := range fe {
					errs.add(fld, m)
				}
			}
		}
		if len(errs) > 0 {
			s.renderTerm(w, r, k, http.StatusUnprocessableEntity, t, errs, "", false)
			return
		}
		created := t.ID == 0
		err := s.inTx(ctx, func(tx dirTx) error {
			action := k.one + ".update"
			if created {
				action = k.one + ".create"
				if err := k.create(ctx, tx, t); err != nil {
					return err
				}
			} else if err := k.update(ctx, tx, t); err != nil {
				return err
			}
			return s.audit(ctx, tx, r, action, k.one+":"+strconv.FormatInt(t.ID, 10), strconv.Quote(t.Name))
		})
		if err != nil {
			if created {
				t.ID = 0 // the insert was rolled back
			}
			if fe, ok := fieldErrors(err); ok {
				s.renderTerm(w, r, k, http.StatusUnprocessableEntity, t, fe, "", false)
				return
			}
			if errors.Is(err, store.ErrConflict) {
				s.renderTerm(w, r, k, http.StatusConflict, t, formErrors{"Slug": "is already taken by another " + k.one + "; choose another"}, "", false)
				return
			}
			if errors.Is(err, store.ErrNotFound) {
				s.renderTerm(w, r, k, http.StatusUnprocessableEntity, t, formErrors{"ParentID": "must be one of the listed " + k.plural}, "", false)
				return
			}
			s.serverError(w, r, fmt.Errorf("admin: save %s %q: %w", k.one, t.Slug, err))
			return
		}
		s.redirect(w, r, k.path(t.ID), "Saved "+t.Name+".")
	}
}

// deleteTerm removes a topic or region that has no children and files no
// publication; otherwise the edit page says what still uses it.
func (s *server) deleteTerm(k *termKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		t, ok := s.loadTerm(w, r, k)
		if !ok {
			return
		}
		err := s.inTx(ctx, func(tx dirTx) error {
			if err := k.delete(ctx, tx, t.ID); err != nil {
				return err
			}
			return s.audit(ctx, tx, r, k.one+".delete", k.one+":"+strconv.FormatInt(t.ID, 10), strconv.Quote(t.Name))
		})
		switch {
		case err == nil:
			s.redirect(w, r, "/admin/"+k.plural, "Deleted "+t.Name+".")
		case errors.Is(err, store.ErrConflict):
			s.renderTerm(w, r, k, http.StatusConflict, t, nil, s.termInUse(ctx, k, t), false)
		case errors.Is(err, store.ErrNotFound):
			s.notFound(w, r)
		default:
			s.serverError(w, r, fmt.Errorf("admin: delete %s %d: %w", k.one, t.ID, err))
		}
	}
}

// termInUse explains why a term cannot be deleted.
func (s *server) termInUse(ctx context.Context, k *termKind, t *term) string {
	var why []string
	if all, err := k.list(ctx, s.store); err == nil {
		n := 0
		for _, c := range all {
			if c.ParentID == t.ID {
				n++
			}
		}
		if n > 0 {
			why = append(why, fmt.Sprintf("it has %d %s below it", n, plural(n, k.one, k.plural)))
		}
	}
	if n := s.usedBy(ctx, k.usedBy(t.ID)); n > 0 {
		why = append(why, fmt.Sprintf("%d %s filed under it, counting those in the trash", n, plural(n, "publication is", "publications are")))
	}
	if len(why) == 0 {
		return t.Name + " is still in use, so it cannot be deleted."
	}
	return t.Name + " cannot be deleted: " + strings.Join(why, " and ") + ". Move those first."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
