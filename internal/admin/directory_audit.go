package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// auditPerPage is the length of one page of the audit log.
const auditPerPage = 50

// auditActions are the actions the filter offers; others can still be
// typed into the URL.
var auditActions = []string{
	"login", "login.failed", "logout", "logout.everywhere",
	"user.create", "user.role", "user.update", "user.password", "user.disable", "user.enable",
	"publication.publish", "publication.unpublish", "publication.schedule", "publication.trash",
	"publication.restore", "publication.purge", "revision.restore",
	"person.create", "person.update", "person.delete",
	"topic.create", "topic.update", "topic.delete",
	"region.create", "region.update", "region.delete",
}

// auditView is the data of audit_list.html.
type auditView struct {
	Entries []store.AuditEntry
	Users   []model.User
	Actions []string
	UserID  int64
	Action  string
	Target  string
	NextURL string
	// FirstURL returns to the newest entries with the same filters.
	FirstURL string
	Errors   formErrors
}

// auditLog lists the audit log newest first, filtered by account, action
// and target, a page at a time: ?before=ID continues below that entry.
func (s *server) auditLog(w http.ResponseWriter, r *http.Request) {
	qv := r.URL.Query()
	v := auditView{Actions: auditActions, Errors: formErrors{},
		Action: strings.TrimSpace(qv.Get("action")), Target: strings.TrimSpace(qv.Get("target"))}
	q := store.AuditQuery{Action: v.Action, Target: v.Target, Limit: auditPerPage + 1}
	if len(v.Action) > 100 {
		v.Errors.add("action", "is longer than 100 characters")
	}
	if len(v.Target) > 200 {
		v.Errors.add("target", "is longer than 200 characters")
	}
	if u := qv.Get("user"); u != "" {
		id, err := strconv.ParseInt(u, 10, 64)
		if err != nil || id < 0 {
			v.Errors.add("user", "must be one of the listed accounts")
		}
		q.UserID, v.UserID = id, id
	}
	if b := qv.Get("before"); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil || id <= 0 {
			v.Errors.add("before", "must be the number of an entry")
		}
		q.Before = id
	}
	users, err := s.store.ListUsers(r.Context())
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: audit log: %w", err))
		return
	}
	v.Users = users
	filters := url.Values{}
	if v.UserID != 0 {
		filters.Set("user", strconv.FormatInt(v.UserID, 10))
	}
	if v.Action != "" {
		filters.Set("action", v.Action)
	}
	if v.Target != "" {
		filters.Set("target", v.Target)
	}
	v.FirstURL = "/admin/audit"
	if len(filters) > 0 {
		v.FirstURL += "?" + filters.Encode()
	}
	if len(v.Errors) > 0 {
		s.render(w, r, http.StatusBadRequest, "audit_list", page{Title: "Audit log", Section: "audit", Data: v})
		return
	}
	entries, err := s.store.ListAudit(r.Context(), q)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: audit log: %w", err))
		return
	}
	if len(entries) > auditPerPage {
		entries = entries[:auditPerPage]
		filters.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		v.NextURL = "/admin/audit?" + filters.Encode()
	}
	v.Entries = entries
	s.render(w, r, http.StatusOK, "audit_list", page{Title: "Audit log", Section: "audit", Data: v})
}
