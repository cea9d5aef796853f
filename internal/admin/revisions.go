package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/related"
	"github.com/imprintpub/imprint/internal/store"
)

// snapshot is what a revision keeps of a publication: its JSON.
func snapshot(p *model.Publication) ([]byte, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("snapshot of publication %d: %w", p.ID, err)
	}
	return b, nil
}

// fromSnapshot reads a revision's publication. A date the model could not
// read when it was saved (model.Date.Raw, from an import) is kept as that
// raw text rather than making the whole revision unreadable.
func fromSnapshot(rev *store.Revision) (*model.Publication, error) {
	var p model.Publication
	err := json.Unmarshal(rev.Snapshot, &p)
	if err == nil {
		return &p, nil
	}
	var fields map[string]json.RawMessage
	var raw string
	if json.Unmarshal(rev.Snapshot, &fields) != nil || json.Unmarshal(fields["Issued"], &raw) != nil {
		return nil, fmt.Errorf("revision %d: snapshot: %w", rev.ID, err)
	}
	fields["Issued"] = json.RawMessage(`""`)
	b, merr := json.Marshal(fields)
	if merr != nil {
		return nil, fmt.Errorf("revision %d: snapshot: %w", rev.ID, err)
	}
	p = model.Publication{}
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("revision %d: snapshot: %w", rev.ID, err)
	}
	p.Issued = model.Date{Raw: raw}
	return &p, nil
}

// revRow is one revision in a list, numbered from 1 for the oldest.
type revRow struct {
	store.Revision
	N int
}

// revisionsView is the data of the revision list.
type revisionsView struct {
	Pub       *model.Publication
	Revisions []revRow
	CanEdit   bool
}

// numbered numbers a publication's revisions (listed newest first) from 1
// for the oldest.
func numbered(revs []store.Revision) []revRow {
	out := make([]revRow, len(revs))
	for i, r := range revs {
		out[i] = revRow{Revision: r, N: len(revs) - i}
	}
	return out
}

// revisions lists a publication's revisions: who, when, what.
func (s *server) revisions(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPublication(w, r)
	if !ok {
		return
	}
	if !canView(user(r), p) {
		s.forbidden(w, r)
		return
	}
	revs, err := s.store.Revisions(r.Context(), p.ID)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: revisions of publication %d: %w", p.ID, err))
		return
	}
	s.render(w, r, http.StatusOK, "revisions", page{Title: "Revisions: " + p.Title, Section: "publications",
		Data: revisionsView{Pub: p, Revisions: numbered(revs), CanEdit: auth.CanEdit(user(r), p)}})
}

// diffView is the data of the comparison of two revisions.
type diffView struct {
	Pub      *model.Publication
	From, To revRow
	Changed  []fieldDiff
	Same     int
	CanEdit  bool
	Options  []revRow // for choosing other revisions to compare
}

// revisionDiff compares two revisions field by field (?from=ID&to=ID);
// without from, it compares to with the revision before it.
func (s *server) revisionDiff(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPublication(w, r)
	if !ok {
		return
	}
	if !canView(user(r), p) {
		s.forbidden(w, r)
		return
	}
	ctx := r.Context()
	revs, err := s.store.Revisions(ctx, p.ID)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: revisions of publication %d: %w", p.ID, err))
		return
	}
	rows := numbered(revs)
	find := func(param string) (int, bool) {
		id, err := strconv.ParseInt(r.URL.Query().Get(param), 10, 64)
		if err != nil {
			return 0, false
		}
		for i, row := range rows {
			if row.ID == id {
				return i, true
			}
		}
		return 0, false
	}
	to, ok := find("to")
	if !ok {
		s.badRequest(w, r, `Choose the revision to compare ("to" names no revision of this publication).`)
		return
	}
	from, ok := find("from")
	if r.URL.Query().Get("from") == "" {
		from, ok = to+1, to+1 < len(rows) // the one before: the list is newest first
	}
	if !ok {
		s.badRequest(w, r, `Choose two revisions to compare ("from" names no revision of this publication, or "to" is the first).`)
		return
	}
	load := func(row revRow) (*model.Publication, error) {
		rev, err := s.store.Revision(ctx, row.ID)
		if err != nil {
			return nil, err
		}
		return fromSnapshot(rev)
	}
	a, err := load(rows[from])
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: publication %d: %w", p.ID, err))
		return
	}
	b, err := load(rows[to])
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: publication %d: %w", p.ID, err))
		return
	}
	changed, same := diffPublications(a, b)
	s.render(w, r, http.StatusOK, "revision_diff", page{
		Title: fmt.Sprintf("Revisions %d and %d: %s", rows[from].N, rows[to].N, p.Title), Section: "publications",
		Data: diffView{Pub: p, From: rows[from], To: rows[to], Changed: changed, Same: same,
			CanEdit: auth.CanEdit(user(r), p), Options: rows}})
}

// restoreRevision makes a revision's content current again, as a new
// revision "restored revision N". The status stays as it is: restoring
// never publishes or unpublishes.
func (s *server) restoreRevision(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, ok := s.loadPublication(w, r)
	if !ok {
		return
	}
	u := user(r)
	if !auth.CanEdit(u, cur) || ((cur.Status == model.StatusPublished || cur.Status == model.StatusScheduled) && !auth.Can(u, auth.PermPublish)) {
		s.forbidden(w, r)
		return
	}
	revID, err := strconv.ParseInt(r.PathValue("rev"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	revs, err := s.store.Revisions(ctx, cur.ID)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: revisions of publication %d: %w", cur.ID, err))
		return
	}
	n := 0
	for _, row := range numbered(revs) {
		if row.ID == revID {
			n = row.N
		}
	}
	if n == 0 {
		s.notFound(w, r)
		return
	}
	rev, err := s.store.Revision(ctx, revID)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: revision %d: %w", revID, err))
		return
	}
	old, err := fromSnapshot(rev)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: publication %d: %w", cur.ID, err))
		return
	}
	p := *old
	// The content comes back; the record's identity, workflow and
	// ownership stay as they are now.
	p.ID, p.Status, p.PublishAt, p.PublishedAt = cur.ID, cur.Status, cur.PublishAt, cur.PublishedAt
	p.DeletedAt, p.CreatedBy, p.CreatedAt, p.UpdatedAt = cur.DeletedAt, cur.CreatedBy, cur.CreatedAt, cur.UpdatedAt
	note := "restored revision " + strconv.Itoa(n)
	lists, hasLists := s.store.(related.Lists)
	before := store.Terms{}
	if hasLists {
		if before, err = related.Snapshot(ctx, lists, cur.ID); err != nil {
			s.serverError(w, r, fmt.Errorf("admin: publication %d: %w", cur.ID, err))
			return
		}
	}
	err = s.store.WithTx(ctx, func(tx store.Store) error {
		atx, err := adminTx(tx)
		if err != nil {
			return err
		}
		if err := tx.UpdatePublication(ctx, &p); err != nil {
			return err
		}
		if err := s.addRevision(ctx, atx, r, &p, note); err != nil {
			return err
		}
		return s.addAudit(ctx, atx, r, "revision.restore", &p, note)
	})
	if err != nil {
		if errs, ok := s.saveErrors(err); ok {
			// A person, topic or publication it names may be gone, or its
			// slug taken since: say what, and change nothing.
			msg := "Revision " + strconv.Itoa(n) + " cannot be restored as it is:"
			for _, k := range slices.Sorted(maps.Keys(errs)) {
				msg += " " + fieldLabel(k) + ": " + errs[k] + "."
			}
			s.errorPage(w, r, http.StatusConflict, "Cannot restore", msg+" Edit the publication by hand instead.")
			return
		}
		if errors.Is(err, store.ErrNotFound) {
			s.notFound(w, r)
			return
		}
		s.serverError(w, r, fmt.Errorf("admin: restore revision %d of publication %d: %w", revID, cur.ID, err))
		return
	}
	if hasLists {
		if _, err := related.Refresh(ctx, lists, p.ID, before); err != nil {
			s.log.ErrorContext(ctx, "related refresh failed", "publication", p.ID, "err", err)
		}
	}
	s.redirect(w, r, pubPath(p.ID), "Restored revision "+strconv.Itoa(n)+".")
}

// canView reports whether u may read p's admin pages (its revisions):
// whoever may edit it, and a contributor their own publications after
// they left their hands.
func canView(u *model.User, p *model.Publication) bool {
	return auth.CanEdit(u, p) || auth.Can(u, auth.PermEditAny) || (u != nil && p.CreatedBy == u.ID && auth.Can(u, auth.PermDraft))
}
