package admin

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/upload"
)

// peoplePerPage is the length of one page of the people list.
const peoplePerPage = 50

// peopleListView is the data of people_list.html.
type peopleListView struct {
	Query      string
	People     []model.Person
	Page       int
	PrevURL    string
	NextURL    string
	CanEdit    bool
	PublicBase string
}

// listPeople lists people by name, filtered by ?q= (name contains).
func (s *server) listPeople(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if pageNo < 1 {
		pageNo = 1
	}
	// One more than a page tells whether there is a next one.
	people, err := s.store.ListPeople(r.Context(), store.PeopleQuery{Name: q, Limit: peoplePerPage + 1, Offset: (pageNo - 1) * peoplePerPage})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: people matching %q: %w", q, err))
		return
	}
	v := peopleListView{Query: q, Page: pageNo, CanEdit: canEditDirectory(r), PublicBase: s.baseURL}
	link := func(n int) string {
		vals := url.Values{}
		if q != "" {
			vals.Set("q", q)
		}
		if n > 1 {
			vals.Set("page", strconv.Itoa(n))
		}
		if len(vals) == 0 {
			return "/admin/people"
		}
		return "/admin/people?" + vals.Encode()
	}
	if len(people) > peoplePerPage {
		people = people[:peoplePerPage]
		v.NextURL = link(pageNo + 1)
	}
	if pageNo > 1 {
		v.PrevURL = link(pageNo - 1)
	}
	v.People = people
	s.render(w, r, http.StatusOK, "people_list", page{Title: "People", Section: "people", Data: v})
}

// personView is the data of people_form.html: the values entered (or
// stored), their errors and the bio's preview.
type personView struct {
	ID       int64
	Person   *model.Person
	Errors   formErrors
	Problem  string // a message about the whole record (delete refused)
	Bio      template.HTML
	Uploads  bool
	MaxImage string
	PhotoURL string
	Action   string
	Public   string // the expert page, once saved
}

func personPath(id int64) string { return "/admin/people/" + strconv.FormatInt(id, 10) }

func (s *server) newPerson(w http.ResponseWriter, r *http.Request) {
	s.renderPerson(w, r, http.StatusOK, 0, &model.Person{}, nil, "", false)
}

func (s *server) editPerson(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok {
		return
	}
	s.renderPerson(w, r, http.StatusOK, p.ID, p, nil, "", false)
}

// loadPerson reads the person of the {id} wildcard, answering 404 itself
// when there is none.
func (s *server) loadPerson(w http.ResponseWriter, r *http.Request) (*model.Person, bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	p, err := s.store.Person(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: person %d: %w", id, err))
		return nil, false
	}
	return p, true
}

func (s *server) renderPerson(w http.ResponseWriter, r *http.Request, status int, id int64, p *model.Person, errs formErrors, problem string, preview bool) {
	v := personView{ID: id, Person: p, Errors: errs, Problem: problem, Uploads: s.uploads != nil, Action: "/admin/people/new"}
	if s.uploads != nil {
		v.MaxImage = fmt.Sprintf("%d MiB", s.uploads.MaxSize(upload.Image)>>20)
	}
	if id != 0 {
		v.Action = personPath(id)
		v.Public = s.baseURL + "/experts/" + p.Slug
	}
	if p.Photo != "" && upload.ValidKey(p.Photo) {
		v.PhotoURL = upload.URLPath(p.Photo)
	}
	if preview || p.Bio != "" {
		v.Bio, _ = s.md.Render(p.Bio)
	}
	title := "New person"
	if id != 0 {
		title = "Edit " + p.DisplayName()
	}
	s.render(w, r, status, "people_form", page{Title: title, Section: "people", Data: v})
}

// photoLimit bounds the body of the person form: the form itself and the
// largest image the upload store takes.
func (s *server) photoLimit() int64 {
	if s.uploads == nil {
		return formLimit
	}
	return formLimit + s.uploads.MaxSize(upload.Image)
}

// personFromForm reads the form into p, which holds the stored record (or
// is new); it returns the problems it found before the model's own
// validation.
func personFromForm(f url.Values, p *model.Person) formErrors {
	errs := formErrors{}
	get := func(name string) string { return strings.TrimSpace(f.Get(name)) }
	p.Given = get("Given")
	p.Family = get("Family")
	p.DroppingParticle = get("DroppingParticle")
	p.NonDroppingParticle = get("NonDroppingParticle")
	p.Suffix = get("Suffix")
	p.Literal = get("Literal")
	p.RoleLine = get("RoleLine")
	// The bio keeps its leading spaces, which Markdown reads as code;
	// browsers send CRLF line ends, which are normalized.
	p.Bio = strings.TrimRight(strings.ReplaceAll(f.Get("Bio"), "\r\n", "\n"), " \n\t")
	p.Slug = get("Slug")
	if p.Slug == "" {
		p.Slug = model.Slugify(p.DisplayName())
	}
	p.ORCID = ""
	if o := get("ORCID"); o != "" {
		if p.ORCID = model.NormalizeORCID(o); p.ORCID == "" {
			p.ORCID = o
			errs.add("ORCID", "is not an ORCID iD: write it as 0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097 (the last character is a check digit)")
		}
	}
	return errs
}

// savePerson creates (…/new) or updates a person from the form. "Preview"
// shows the rendered bio without saving; a new photo is stored in the
// upload store first, and the person points to it once saved.
func (s *server) savePerson(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := parseForm(r, formLimit); err != nil {
		s.formTooLarge(w, r, err)
		return
	}
	p := &model.Person{}
	var id int64
	if !isNew(r) {
		stored, ok := s.loadPerson(w, r)
		if !ok {
			return
		}
		p, id = stored, stored.ID
	}
	errs := personFromForm(r.PostForm, p)
	switch {
	case r.PostForm.Get("RemovePhoto") != "":
		p.Photo = ""
	case id == 0:
		// A photo uploaded with a form that came back with errors travels
		// in a hidden field; only a key the store holds is taken.
		if k := r.PostForm.Get("Photo"); k != "" && s.uploads != nil && upload.ValidKey(k) && s.uploads.Has(k) {
			p.Photo = k
		}
	}
	key, problem := s.storeUpload(ctx, r, "photo", upload.Image)
	if problem != "" {
		errs.add("Photo", problem)
	} else if key != "" {
		p.Photo = key
	}
	if r.PostForm.Get("do") == "preview" {
		s.renderPerson(w, r, http.StatusOK, id, p, errs, "", true)
		return
	}
	if err := p.Validate(); err != nil {
		if fe, ok := fieldErrors(err); ok {
			for f, m := range fe {
				errs.add(f, m)
			}
		}
	}
	if len(errs) > 0 {
		s.renderPerson(w, r, http.StatusUnprocessableEntity, id, p, errs, "", false)
		return
	}
	err := s.inTx(ctx, func(tx dirTx) error {
		action := "person.update"
		if id == 0 {
			action = "person.create"
			if err := tx.CreatePerson(ctx, p); err != nil {
				return err
			}
		} else if err := tx.UpdatePerson(ctx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, action, "person:"+strconv.FormatInt(p.ID, 10), strconv.Quote(p.DisplayName()))
	})
	if err != nil {
		if fe, ok := fieldErrors(err); ok {
			s.renderPerson(w, r, http.StatusUnprocessableEntity, id, p, fe, "", false)
			return
		}
		if errors.Is(err, store.ErrConflict) {
			s.renderPerson(w, r, http.StatusConflict, id, p, s.personConflict(ctx, id, p), "", false)
			return
		}
		s.serverError(w, r, fmt.Errorf("admin: save person %q: %w", p.Slug, err))
		return
	}
	s.redirect(w, r, personPath(p.ID), "Saved "+p.DisplayName()+".")
}

// deletePerson removes a person who contributes to nothing; while they do,
// the edit page says so and how many publications name them.
func (s *server) deletePerson(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, ok := s.loadPerson(w, r)
	if !ok {
		return
	}
	err := s.inTx(ctx, func(tx dirTx) error {
		if err := tx.DeletePerson(ctx, p.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "person.delete", "person:"+strconv.FormatInt(p.ID, 10), strconv.Quote(p.DisplayName()))
	})
	switch {
	case err == nil:
		s.redirect(w, r, "/admin/people", "Deleted "+p.DisplayName()+".")
	case errors.Is(err, store.ErrConflict):
		msg := p.DisplayName() + " still contributes to publications, so they cannot be deleted. Remove them from those publications first."
		if n := s.usedBy(ctx, store.PublicationQuery{PersonID: p.ID}); n > 0 {
			msg = fmt.Sprintf("%s still contributes to %d publication(s), counting those in the trash, so they cannot be deleted. Remove them from those publications first.", p.DisplayName(), n)
		}
		s.renderPerson(w, r, http.StatusConflict, p.ID, p, nil, msg, false)
	case errors.Is(err, store.ErrNotFound):
		s.notFound(w, r)
	default:
		s.serverError(w, r, fmt.Errorf("admin: delete person %d: %w", p.ID, err))
	}
}

// textField is one single-line input of a form, with its error.
type textField struct {
	Name, Label, Value, Error string
}

// Field returns the input for one of the person's single-line fields.
func (v personView) Field(name, label string) textField {
	p := v.Person
	val := map[string]string{
		"Given": p.Given, "Family": p.Family, "DroppingParticle": p.DroppingParticle,
		"NonDroppingParticle": p.NonDroppingParticle, "Suffix": p.Suffix, "Literal": p.Literal,
		"Slug": p.Slug, "RoleLine": p.RoleLine, "ORCID": p.ORCID,
	}[name]
	return textField{Name: name, Label: label, Value: val, Error: v.Errors[name]}
}

// personConflict says which unique field of p another person already has:
// the slug or the ORCID iD.
func (s *server) personConflict(ctx context.Context, id int64, p *model.Person) formErrors {
	errs := formErrors{}
	if other, err := s.store.PersonBySlug(ctx, p.Slug); err == nil && other.ID != id {
		errs.add("Slug", "is already taken by "+other.DisplayName()+"; choose another")
	}
	if p.ORCID != "" {
		if others, err := s.store.ListPeople(ctx, store.PeopleQuery{ORCID: p.ORCID, Limit: 1}); err == nil && len(others) > 0 && others[0].ID != id {
			errs.add("ORCID", "already belongs to "+others[0].DisplayName()+" ("+others[0].Slug+")")
		}
	}
	if len(errs) == 0 {
		errs.add("Slug", "or the ORCID iD is already taken by another person")
	}
	return errs
}
