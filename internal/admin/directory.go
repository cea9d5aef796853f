package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/store"
)

// directoryRoutes adds the pages for people, topics, regions, users, the
// account page and the audit log. Every POST goes through s.action, which
// checks the CSRF token before the session and the permissions.
func (s *server) directoryRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/people", s.page(s.listPeople, auth.PermDraft))
	mux.Handle("GET /admin/people/new", s.page(s.newPerson, auth.PermEditAny))
	mux.Handle("POST /admin/people/new", s.action(s.photoLimit(), s.savePerson, auth.PermEditAny))
	mux.Handle("GET /admin/people/{id}", s.page(s.editPerson, auth.PermEditAny))
	mux.Handle("POST /admin/people/{id}", s.action(s.photoLimit(), s.savePerson, auth.PermEditAny))
	mux.Handle("POST /admin/people/{id}/delete", s.action(formLimit, s.deletePerson, auth.PermEditAny))

	// The patterns are written out, not built in a loop, so that the
	// security test can read every route from the source.
	mux.Handle("GET /admin/topics", s.page(s.listTerms(topicKind), auth.PermDraft))
	mux.Handle("GET /admin/topics/new", s.page(s.newTerm(topicKind), auth.PermEditAny))
	mux.Handle("POST /admin/topics/new", s.action(formLimit, s.saveTerm(topicKind), auth.PermEditAny))
	mux.Handle("GET /admin/topics/{id}", s.page(s.editTerm(topicKind), auth.PermEditAny))
	mux.Handle("POST /admin/topics/{id}", s.action(formLimit, s.saveTerm(topicKind), auth.PermEditAny))
	mux.Handle("POST /admin/topics/{id}/delete", s.action(formLimit, s.deleteTerm(topicKind), auth.PermEditAny))
	mux.Handle("GET /admin/regions", s.page(s.listTerms(regionKind), auth.PermDraft))
	mux.Handle("GET /admin/regions/new", s.page(s.newTerm(regionKind), auth.PermEditAny))
	mux.Handle("POST /admin/regions/new", s.action(formLimit, s.saveTerm(regionKind), auth.PermEditAny))
	mux.Handle("GET /admin/regions/{id}", s.page(s.editTerm(regionKind), auth.PermEditAny))
	mux.Handle("POST /admin/regions/{id}", s.action(formLimit, s.saveTerm(regionKind), auth.PermEditAny))
	mux.Handle("POST /admin/regions/{id}/delete", s.action(formLimit, s.deleteTerm(regionKind), auth.PermEditAny))

	mux.Handle("GET /admin/users", s.page(s.listUsers, auth.PermManageUsers))
	mux.Handle("GET /admin/users/new", s.page(s.newUser, auth.PermManageUsers))
	mux.Handle("POST /admin/users/new", s.action(formLimit, s.createUser, auth.PermManageUsers))
	mux.Handle("GET /admin/users/{id}", s.page(s.showUser, auth.PermManageUsers))
	mux.Handle("POST /admin/users/{id}/role", s.action(formLimit, s.changeUserRole, auth.PermManageUsers))
	mux.Handle("POST /admin/users/{id}/disable", s.action(formLimit, s.setUserDisabled(true), auth.PermManageUsers))
	mux.Handle("POST /admin/users/{id}/enable", s.action(formLimit, s.setUserDisabled(false), auth.PermManageUsers))
	mux.Handle("POST /admin/users/{id}/password", s.action(formLimit, s.resetUserPassword, auth.PermManageUsers))

	mux.Handle("GET /admin/account", s.page(s.account))
	mux.Handle("POST /admin/account/password", s.action(formLimit, s.changeOwnPassword))
	mux.Handle("POST /admin/account/logout-everywhere", s.action(formLimit, s.logoutEverywhere))

	mux.Handle("GET /admin/audit", s.page(s.auditLog, auth.PermViewAudit))
	mux.Handle("POST /admin/markdown", s.action(formLimit, s.markdownPreview, auth.PermDraft))
}

// dirTx is what the directory pages write inside one transaction: the
// records, the accounts and their sessions, and the audit entry that
// records the change.
type dirTx interface {
	store.Store
	store.Accounts
	store.Sessions
	store.Audit
}

// inTx runs fn in one transaction of the admin store, so that a change and
// its audit entry land together or not at all.
func (s *server) inTx(ctx context.Context, fn func(tx dirTx) error) error {
	return s.store.WithTx(ctx, func(st store.Store) error {
		tx, ok := st.(dirTx)
		if !ok {
			return fmt.Errorf("admin: the store's transactions (%T) keep no accounts or audit log", st)
		}
		return fn(tx)
	})
}

// audit adds an audit entry for the logged-in account inside tx.
func (s *server) audit(ctx context.Context, tx dirTx, r *http.Request, action, target, detail string) error {
	u := user(r)
	e := &store.AuditEntry{At: s.now(), Action: action, Target: target, Address: s.auth.ClientAddress(r), Detail: detail}
	if u != nil {
		e.UserID, e.UserName = u.ID, userName(u)
	}
	if err := tx.AddAudit(ctx, e); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, target, err)
	}
	return nil
}

// pathID reads the {id} wildcard; false when it is not a positive number.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// isNew reports whether the request is for the form that creates a record
// (…/new) rather than one that edits record {id}.
func isNew(r *http.Request) bool { return r.PathValue("id") == "" }

// canEditDirectory reports whether the account may change people, topics
// and regions, so that lists offer the links the server would honour.
func canEditDirectory(r *http.Request) bool {
	u := user(r)
	return u != nil && auth.Can(u, auth.PermEditAny)
}

// parseForm reads the posted form, multipart or not; VerifyCSRF has
// usually parsed it already and this only reports what went wrong then.
func parseForm(r *http.Request, maxMemory int64) error {
	err := r.ParseMultipartForm(maxMemory)
	if err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return fmt.Errorf("admin: read the form: %w", err)
	}
	return nil
}

// formTooLarge answers a form that could not be read.
func (s *server) formTooLarge(w http.ResponseWriter, r *http.Request, err error) {
	if tooLarge(err) {
		s.errorPage(w, r, http.StatusRequestEntityTooLarge, "Too large", "The form and its file are larger than allowed.")
		return
	}
	s.badRequest(w, r, "The form could not be read: "+err.Error())
}

// usedBy counts the publications q selects, in the trash or not, for the
// message that explains why a record cannot be deleted; 0 when the count
// fails, since the message is only a courtesy.
func (s *server) usedBy(ctx context.Context, q store.PublicationQuery) int {
	n := 0
	for _, trashed := range []bool{false, true} {
		q.Trashed, q.Limit = trashed, 1
		if pg, err := s.store.ListPublications(ctx, q); err == nil {
			n += pg.Total
		}
	}
	return n
}
