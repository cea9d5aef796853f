package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// maxAuditDetail bounds the free text of an entry, which may quote what a
// visitor typed.
const maxAuditDetail = 500

// Audit writes an entry to the audit log for the account logged in (from
// ctx, else r's context, as Middleware left it) at the client address of
// r. r may be nil for work no request asked for; the entry then has no
// address.
func (m *Manager) Audit(ctx context.Context, r *http.Request, action, target, detail string) error {
	if action == "" {
		return errors.New("auth: audit: action is required")
	}
	u := CurrentUser(ctx)
	addr := ""
	if r != nil {
		if u == nil {
			u = CurrentUser(r.Context())
		}
		addr = m.ClientAddress(r)
	}
	if err := m.addAudit(ctx, u, action, target, addr, detail); err != nil {
		return fmt.Errorf("auth: audit %s %s: %w", action, target, err)
	}
	return nil
}

func (m *Manager) addAudit(ctx context.Context, u *model.User, action, target, addr, detail string) error {
	e := &store.AuditEntry{
		At:      m.now(),
		Action:  action,
		Target:  target,
		Address: addr,
		Detail:  truncate(detail, maxAuditDetail),
	}
	if u != nil {
		e.UserID = u.ID
		e.UserName = DisplayName(u)
	}
	return m.store.AddAudit(ctx, e)
}

// auditLogin records a login or a failed one. A failure to write it is
// logged, not returned: the audit log must not decide whether someone
// may log in, and the attempt has already been counted.
func (m *Manager) auditLogin(ctx context.Context, action string, u *model.User, email, addr, why string) {
	target, detail := "", why
	if u != nil {
		target = userTarget(u.ID)
	} else if email != "" {
		// No account to point at: say which address was tried, so that
		// the log shows someone probing for accounts.
		detail = why + ": " + strconv.Quote(email)
	}
	// A failed login is nobody's action; the account it tried is the
	// target.
	var by *model.User
	if action == "login" {
		by = u
	}
	if err := m.addAudit(ctx, by, action, target, addr, detail); err != nil {
		m.log.ErrorContext(ctx, "audit "+action, "email", email, "address", addr, "err", err)
	}
}

// DisplayName is how an account is named in revisions and the audit log:
// its name, else its e-mail address.
func DisplayName(u *model.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}
