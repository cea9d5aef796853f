package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/related"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/upload"
)

// editView is the data of the publication editor.
type editView struct {
	ID      int64
	IsNew   bool
	Record  *model.Publication // the stored record; nil for a new one
	Form    *pubForm
	Errors  formErrors
	Preview *previewView // the no-JavaScript preview, when asked for
	// IssuedFormatted shows how readers will see the date.
	IssuedFormatted string
	Types           []model.Type
	Roles           []model.Role
	Topics, Regions []*treeNode
	People          []model.Person // the picker's first suggestions
	Uploads         bool
	MaxPDF          string
	CanPublish      bool
	Action          string // the form's target
}

// treeNode is one checkbox of a topic or region tree.
type treeNode struct {
	ID       int64
	Name     string
	Checked  bool
	Children []*treeNode
}

// buildTree nests terms listed parents first; a term whose parent is
// missing is shown at the top level rather than lost.
func buildTree(ids, parents []int64, names []string, checked map[int64]bool) []*treeNode {
	byID := map[int64]*treeNode{}
	var roots []*treeNode
	for i, id := range ids {
		n := &treeNode{ID: id, Name: names[i], Checked: checked[id]}
		byID[id] = n
		if p, ok := byID[parents[i]]; ok && parents[i] != 0 {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

// pubPath is the address of a publication's editor.
func pubPath(id int64) string { return "/admin/publications/" + strconv.FormatInt(id, 10) }

// pubID reads the {id} of the path; false answers 404.
func pubID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// loadPublication reads the publication of the path, answering 404 or 500
// itself when it cannot.
func (s *server) loadPublication(w http.ResponseWriter, r *http.Request) (*model.Publication, bool) {
	id, ok := pubID(r)
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	p, err := s.store.Publication(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: publication %d: %w", id, err))
		return nil, false
	}
	return p, true
}

// newPublication shows an empty editor.
func (s *server) newPublication(w http.ResponseWriter, r *http.Request) {
	f := &pubForm{Type: string(model.TypeReport), Topics: map[int64]bool{}, Regions: map[int64]bool{},
		Contributors: []contribRow{{Role: string(model.RoleAuthor)}}}
	s.renderEditor(w, r, http.StatusOK, nil, f, nil, nil)
}

// editPublication shows the editor for a stored publication.
func (s *server) editPublication(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPublication(w, r)
	if !ok {
		return
	}
	if !auth.CanEdit(user(r), p) {
		s.forbidden(w, r)
		return
	}
	f := formFromPublication(p)
	if len(f.Contributors) == 0 {
		f.Contributors = []contribRow{{Role: string(model.RoleAuthor)}}
	}
	s.renderEditor(w, r, http.StatusOK, p, f, nil, nil)
}

// renderEditor shows the editor with the form as entered and its errors.
func (s *server) renderEditor(w http.ResponseWriter, r *http.Request, status int, rec *model.Publication, f *pubForm, errs formErrors, pv *previewView) {
	ctx := r.Context()
	v := editView{Record: rec, IsNew: rec == nil, Form: f, Errors: errs, Preview: pv,
		Types: model.Types(), Roles: model.Roles(), Uploads: s.uploads != nil,
		CanPublish: auth.Can(user(r), auth.PermPublish), Action: "/admin/publications/new"}
	if rec != nil {
		v.ID = rec.ID
		v.Action = pubPath(rec.ID)
	}
	if s.uploads != nil {
		v.MaxPDF = fmt.Sprintf("%d MB", s.uploads.MaxSize(upload.PDF)>>20)
	}
	if d, err := model.ParseDate(f.Issued); err == nil {
		v.IssuedFormatted = d.Format()
	}
	topics, err := s.store.ListTopics(ctx)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: topics: %w", err))
		return
	}
	var ids, parents []int64
	var names []string
	for _, t := range topics {
		ids, parents, names = append(ids, t.ID), append(parents, t.ParentID), append(names, t.Name)
	}
	v.Topics = buildTree(ids, parents, names, f.Topics)
	regions, err := s.store.ListRegions(ctx)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: regions: %w", err))
		return
	}
	ids, parents, names = nil, nil, nil
	for _, t := range regions {
		ids, parents, names = append(ids, t.ID), append(parents, t.ParentID), append(names, t.Name)
	}
	v.Regions = buildTree(ids, parents, names, f.Regions)
	// The picker starts with the first people; admin.js asks
	// /admin/people.json for more as the editor types.
	v.People, err = s.store.ListPeople(ctx, store.PeopleQuery{Limit: pickerLimit})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: people: %w", err))
		return
	}
	for i := range f.Contributors {
		c := &f.Contributors[i]
		if c.Person != "" && c.Name == "" {
			if p, err := s.store.PersonBySlug(ctx, c.Person); err == nil {
				c.Name = p.DisplayName()
			}
		}
	}
	title := "New publication"
	if rec != nil {
		title = "Edit: " + rec.Title
	}
	s.render(w, r, status, "publication_edit", page{Title: title, Section: "publications", Data: v})
}

// pickerLimit is how many people the editor's picker lists at first.
const pickerLimit = 300

// editLimit bounds the editor's request: the form and one PDF.
func (s *server) editLimit() int64 {
	if s.uploads == nil {
		return formLimit
	}
	return formLimit + s.uploads.MaxSize(upload.PDF) + 64<<10
}

// The editor's submit buttons ("action").
const (
	actSave      = "save"      // keep the status (a new record is a draft)
	actSubmit    = "submit"    // for review
	actPublish   = "publish"   // now
	actSchedule  = "schedule"  // at PublishAt
	actUnpublish = "unpublish" // back to draft
	actPreview   = "preview"   // render the preview, save nothing
)

// savePublication handles the editor's POST for a new (no {id}) or a stored
// publication: row buttons and Preview redisplay the form; the status
// buttons save it, in one transaction with its new people, its revision
// and its audit entry, and redirect to the editor.
func (s *server) savePublication(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := user(r)
	var rec *model.Publication
	p := newDraft(u.ID)
	if r.PathValue("id") != "" {
		var ok bool
		if rec, ok = s.loadPublication(w, r); !ok {
			return
		}
		if !auth.CanEdit(u, rec) {
			s.forbidden(w, r)
			return
		}
		cp := *rec
		p = &cp
	}
	// The action guard parsed the body already.
	f := parsePubForm(r.PostForm)
	if f.rowOp(r.PostFormValue("op")) {
		s.renderEditor(w, r, http.StatusOK, rec, f, nil, nil)
		return
	}
	action := r.PostFormValue("action")
	if action == "" {
		action = actSave // Enter in a text field, where a browser sends no button
	}
	switch action {
	case actSave, actSubmit, actPreview:
	case actPublish, actSchedule, actUnpublish:
		if !auth.Can(u, auth.PermPublish) {
			s.forbidden(w, r)
			return
		}
	default:
		s.badRequest(w, r, fmt.Sprintf("Unknown action %q: use one of the form's buttons.", action))
		return
	}
	b, errs, err := s.apply(ctx, f, p)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: publication form: %w", err))
		return
	}
	if action == actPreview {
		s.renderEditor(w, r, http.StatusOK, rec, f, errs, s.previewOf(b))
		return
	}
	if action == actSave && rec != nil && (rec.Status == model.StatusPublished || rec.Status == model.StatusScheduled) && !auth.Can(u, auth.PermPublish) {
		// Changing what readers see (or will see) is publishing.
		s.forbidden(w, r)
		return
	}
	note := "edited"
	if rec == nil {
		note = "created"
	}
	auditAction := ""
	switch action {
	case actSubmit:
		if rec != nil && rec.Status != model.StatusDraft && rec.Status != model.StatusReview {
			// Taking a publication off the site is Unpublish, which is
			// audited; submitting is for drafts.
			s.badRequest(w, r, "Only a draft can be submitted for review; use Unpublish first.")
			return
		}
		p.Status, p.PublishAt = model.StatusReview, time.Time{}
		note = "submitted for review"
	case actPublish:
		p.Status, p.PublishAt = model.StatusPublished, time.Time{}
		note, auditAction = "published", "publication.publish"
	case actSchedule:
		at, err := parsePublishAt(f.PublishAt)
		switch {
		case err != nil:
			errs.add("PublishAt", err.Error())
		case !at.After(s.now()):
			errs.add("PublishAt", "must be in the future; use Publish now to publish at once")
		default:
			p.Status, p.PublishAt = model.StatusScheduled, at
			note, auditAction = "scheduled for "+fmtTime(at), "publication.schedule"
		}
	case actUnpublish:
		if rec == nil || (rec.Status != model.StatusPublished && rec.Status != model.StatusScheduled) {
			s.badRequest(w, r, "Only a published or scheduled publication can be unpublished.")
			return
		}
		p.Status, p.PublishAt = model.StatusDraft, time.Time{}
		note, auditAction = "unpublished", "publication.unpublish"
	}
	if key, ferr := s.storeUpload(ctx, r, "pdf", upload.PDF); ferr != "" {
		errs.add("FullTextPDF", ferr)
	} else if key != "" {
		// Kept in the form too, so that a form sent back for another
		// problem does not ask for the file again.
		p.FullTextPDF, f.FullTextPDF, f.RemovePDF = key, key, false
	}
	if rec == nil && f.Slug == "" && p.Slug != "" {
		f.Slug = p.Slug // show the suggested slug if the form comes back
	}
	// Run the model's own checks too, so that every problem shows at once.
	if err := p.Validate(); err != nil {
		if ve, ok := fieldErrors(err); ok {
			for k, m := range ve {
				if !isNewRowPerson(k, b.NewRows) {
					errs.add(k, m)
				}
			}
		}
	}
	for i, np := range b.NewPeople {
		np.Slug = "new-person" // chosen in the transaction; only the name is checked here
		if ve, ok := fieldErrors(newPersonError(np.Validate(), b.NewRows[i])); ok {
			for k, m := range ve {
				errs.add(k, m)
			}
		}
	}
	if len(errs) > 0 {
		s.renderEditor(w, r, http.StatusUnprocessableEntity, rec, f, errs, nil)
		return
	}
	before := store.Terms{}
	lists, hasLists := s.store.(related.Lists)
	if rec != nil && hasLists {
		if before, err = related.Snapshot(ctx, lists, rec.ID); err != nil {
			s.serverError(w, r, fmt.Errorf("admin: publication %d: %w", rec.ID, err))
			return
		}
	}
	err = s.store.WithTx(ctx, func(tx store.Store) error {
		atx, err := adminTx(tx)
		if err != nil {
			return err
		}
		if rec != nil {
			cur, err := tx.Publication(ctx, rec.ID)
			if err != nil {
				return err
			}
			if f.Version != "" && f.Version != strconv.FormatInt(cur.UpdatedAt.UnixNano(), 10) {
				return errStale
			}
		}
		for i := range b.NewPeople {
			np := b.NewPeople[i]
			if np.Slug, err = uniquePersonSlug(ctx, tx, &np); err != nil {
				return err
			}
			if err := tx.CreatePerson(ctx, &np); err != nil {
				return newPersonError(err, b.NewRows[i])
			}
			p.Contributions[b.NewRows[i]].Person = np
		}
		if rec == nil {
			err = tx.CreatePublication(ctx, p)
		} else {
			err = tx.UpdatePublication(ctx, p)
		}
		if err != nil {
			return err
		}
		if err := s.addRevision(ctx, atx, r, p, note); err != nil {
			return err
		}
		if auditAction != "" {
			return s.addAudit(ctx, atx, r, auditAction, p, note)
		}
		return nil
	})
	if err != nil {
		if errs, ok := s.saveErrors(err); ok {
			s.renderEditor(w, r, http.StatusUnprocessableEntity, rec, f, errs, nil)
			return
		}
		s.serverError(w, r, fmt.Errorf("admin: save publication %q: %w", p.Slug, err))
		return
	}
	if hasLists {
		if _, err := related.Refresh(ctx, lists, p.ID, before); err != nil {
			// The save stands; the lists catch up at the next save or rebuild.
			s.log.ErrorContext(ctx, "related refresh failed", "publication", p.ID, "err", err)
		}
	}
	msg := "Saved."
	switch action {
	case actSubmit:
		msg = "Submitted for review."
	case actPublish:
		msg = "Published."
	case actSchedule:
		msg = "Scheduled to go live at " + fmtTime(p.PublishAt) + "."
	case actUnpublish:
		msg = "Unpublished: it is a draft again and readers no longer see it."
	}
	s.redirect(w, r, pubPath(p.ID), msg)
}

// isNewRowPerson reports whether field is the Person of a row that creates
// its person: the model sees no slug there yet, which is not a problem.
func isNewRowPerson(field string, rows []int) bool {
	for _, i := range rows {
		if field == fmt.Sprintf("Contributions[%d].Person", i) {
			return true
		}
	}
	return false
}

// errStale refuses a save over a newer one.
var errStale = errors.New("the publication was changed by someone else since this form was opened")

// saveErrors maps what a save can refuse to the form's fields.
func (s *server) saveErrors(err error) (formErrors, bool) {
	if errs, ok := fieldErrors(err); ok {
		return errs, true
	}
	switch {
	case errors.Is(err, errStale):
		return formErrors{"Version": "Someone saved this publication after you opened it. Nothing was saved: open it again (your text is below, copy what you need) and redo your change."}, true
	case errors.Is(err, store.ErrConflict):
		return formErrors{"Slug": "is already used by another publication; choose another"}, true
	}
	return nil, false
}

// newPersonError moves a new person's validation errors onto the row's
// fields.
func newPersonError(err error, row int) error {
	ve, ok := model.AsValidationError(err)
	if !ok {
		return err
	}
	out := &model.ValidationError{Record: ve.Record}
	for _, f := range ve.Fields {
		field := fmt.Sprintf("Contributions[%d].Person", row)
		switch f.Field {
		case "Given", "Family", "Literal":
			field = fmt.Sprintf("Contributions[%d].%s", row, f.Field)
		}
		out.Fields = append(out.Fields, model.FieldError{Field: field, Message: "new person: " + f.Message})
	}
	return out
}

// storeUpload stores the file sent in the form field, if one was sent, as
// one of the kinds allowed; the message is for the form when it cannot be
// stored.
func (s *server) storeUpload(ctx context.Context, r *http.Request, field string, kinds ...upload.Kind) (key, problem string) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return "", ""
	}
	fh := r.MultipartForm.File[field][0]
	if fh.Size == 0 && fh.Filename == "" {
		return "", ""
	}
	if s.uploads == nil {
		return "", "uploads are not enabled on this server"
	}
	file, err := fh.Open()
	if err != nil {
		return "", "the file could not be read: " + err.Error()
	}
	defer file.Close()
	key, err = s.uploads.Put(ctx, file, fh.Filename, kinds...)
	switch {
	case err == nil:
		return key, ""
	case errors.Is(err, upload.ErrTooLarge), errors.Is(err, upload.ErrType):
		return "", err.Error()
	default:
		s.log.ErrorContext(ctx, "upload failed", "file", fh.Filename, "err", err)
		return "", "the file could not be stored; try again"
	}
}

// txStore is what the admin writes inside a transaction.
type txStore interface {
	store.Store
	store.Revisions
	store.Audit
	store.Lifecycle
}

// adminTx returns the transaction's store with the admin's tables.
func adminTx(tx store.Store) (txStore, error) {
	atx, ok := tx.(txStore)
	if !ok {
		return nil, fmt.Errorf("admin: the store's transactions (%T) keep no revisions or audit log", tx)
	}
	return atx, nil
}

// userName is how revisions and the audit log name an account.
func userName(u *model.User) string {
	if u == nil {
		return ""
	}
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// addRevision keeps p as saved.
func (s *server) addRevision(ctx context.Context, tx txStore, r *http.Request, p *model.Publication, note string) error {
	snap, err := snapshot(p)
	if err != nil {
		return err
	}
	u := user(r)
	rev := &store.Revision{PublicationID: p.ID, UserID: u.ID, UserName: userName(u), CreatedAt: s.now(), Note: note, Snapshot: snap}
	if err := tx.AddRevision(ctx, rev); err != nil {
		return fmt.Errorf("revision of publication %d: %w", p.ID, err)
	}
	return nil
}

// addAudit logs an action on p in the same transaction as the change.
func (s *server) addAudit(ctx context.Context, tx txStore, r *http.Request, action string, p *model.Publication, detail string) error {
	u := user(r)
	e := &store.AuditEntry{At: s.now(), UserID: u.ID, UserName: userName(u), Action: action,
		Target: "publication:" + strconv.FormatInt(p.ID, 10), Address: s.auth.ClientAddress(r),
		Detail: strconv.Quote(p.Slug) + " " + detail}
	if err := tx.AddAudit(ctx, e); err != nil {
		return fmt.Errorf("audit %s of publication %d: %w", action, p.ID, err)
	}
	return nil
}
