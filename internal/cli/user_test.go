package cli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
	"github.com/imprintpub/imprint/internal/store/storeopen"
)

// userRun runs imprint user with stdin against the database in data.
func userRun(t *testing.T, data, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = runUser(context.Background(), Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb}, append(args, "--data", data))
	return out.String(), errb.String(), err
}

// openAccounts opens the test database for checking what a command did.
func openAccounts(t *testing.T, data string) (*sqlstore.Store, auth.Store) {
	t.Helper()
	st, err := storeopen.Open(context.Background(), filepath.Join(data, databaseFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	as, ok := any(st).(auth.Store)
	if !ok {
		t.Fatal("the SQLite store does not implement auth.Store")
	}
	return st, as
}

func lastAudit(t *testing.T, as auth.Store, action string) store.AuditEntry {
	t.Helper()
	es, err := as.ListAudit(context.Background(), store.AuditQuery{Action: action})
	if err != nil || len(es) == 0 {
		t.Fatalf("no %s audit entry: %v", action, err)
	}
	return es[0]
}

// addSession gives the account a live session, as a browser would have.
func addSession(t *testing.T, as auth.Store, userID int64, hash string) {
	t.Helper()
	now := time.Now()
	err := as.CreateSession(context.Background(), &store.Session{TokenHash: hash, UserID: userID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
}

const (
	adminPW  = "correct horse battery staple"
	editorPW = "  a passphrase with spaces  "
)

func TestUserAdd(t *testing.T) {
	data := t.TempDir()
	out, _, err := userRun(t, data, adminPW+"\n", "add", "--email", " Admin@Example.ORG ", "--role", "admin", "--name", "Ada Admin")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "created admin account admin@example.org") {
		t.Errorf("output %q", out)
	}
	// CRLF line endings and spaces at the ends of the password.
	if _, _, err := userRun(t, data, editorPW+"\r\nignored second line\n", "add", "--email", "ed@example.org", "--role", "Editor"); err != nil {
		t.Fatal(err)
	}
	_, as := openAccounts(t, data)
	for _, tc := range []struct {
		email, pw string
		role      model.AccountRole
		name      string
	}{
		{"admin@example.org", adminPW, model.AccountAdmin, "Ada Admin"},
		{"ed@example.org", editorPW, model.AccountEditor, ""},
	} {
		u, err := as.UserByEmail(context.Background(), tc.email)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != tc.role || u.Name != tc.name || u.Disabled {
			t.Errorf("%s: %+v", tc.email, u)
		}
		if ok, err := auth.CheckPassword(u.PasswordHash, tc.pw); !ok || err != nil {
			t.Errorf("%s: the stored hash does not match %q: %v", tc.email, tc.pw, err)
		}
		if ok, _ := auth.CheckPassword(u.PasswordHash, strings.TrimSpace(tc.pw)+"x"); ok {
			t.Errorf("%s: the hash matches a wrong password", tc.email)
		}
		if e := lastAudit(t, as, "user.create"); e.Action != "user.create" {
			t.Errorf("audit %+v", e)
		}
	}
	es, _ := as.ListAudit(context.Background(), store.AuditQuery{Action: "user.create"})
	if len(es) != 2 || !strings.HasPrefix(es[0].UserName, "command line") || es[1].Detail != "role admin" {
		t.Errorf("audit entries %+v", es)
	}
}

func TestUserAddErrors(t *testing.T) {
	data := t.TempDir()
	if _, _, err := userRun(t, data, adminPW+"\n", "add", "--email", "taken@example.org", "--role", "editor"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, stdin string
		args        []string
		want        string // in the error; "" for a usage error
	}{
		{"taken e-mail", adminPW + "\n", []string{"add", "--email", "TAKEN@example.org", "--role", "editor"}, `"taken@example.org" already exists`},
		{"short password", "short\n", []string{"add", "--email", "new@example.org", "--role", "editor"}, "too short"},
		{"only spaces", strings.Repeat(" ", 20) + "\n", []string{"add", "--email", "new@example.org", "--role", "editor"}, "only spaces"},
		{"no password", "", []string{"add", "--email", "new@example.org", "--role", "editor"}, "no password on standard input"},
		{"empty line", "\n" + adminPW + "\n", []string{"add", "--email", "new@example.org", "--role", "editor"}, "empty"},
		{"bad role", adminPW + "\n", []string{"add", "--email", "new@example.org", "--role", "owner"}, `--role "owner"`},
		{"bad e-mail", adminPW + "\n", []string{"add", "--email", "not an address", "--role", "editor"}, "Email"},
		{"missing e-mail", adminPW + "\n", []string{"add", "--role", "editor"}, ""},
		{"missing role", adminPW + "\n", []string{"add", "--email", "new@example.org"}, ""},
		{"password as argument", "", []string{"add", "--email", "new@example.org", "--role", "editor", adminPW}, ""},
		{"unknown subcommand", "", []string{"remove", "--email", "taken@example.org"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := userRun(t, data, tc.stdin, tc.args...)
			switch {
			case tc.want == "" && !errors.Is(err, errUsage):
				t.Fatalf("err = %v, want a usage error", err)
			case tc.want == "" && stderr == "":
				t.Error("a usage error without a message")
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
	_, as := openAccounts(t, data)
	if us, _ := as.ListUsers(context.Background()); len(us) != 1 {
		t.Errorf("%d accounts after the failures, want 1", len(us))
	}
}

func TestUserChanges(t *testing.T) {
	data := t.TempDir()
	for _, a := range [][]string{
		{"add", "--email", "admin@example.org", "--role", "admin"},
		{"add", "--email", "ed@example.org", "--role", "editor", "--name", "Ed Itor"},
	} {
		if _, _, err := userRun(t, data, adminPW+"\n", a...); err != nil {
			t.Fatal(err)
		}
	}
	_, as := openAccounts(t, data)
	ctx := context.Background()
	ed, err := as.UserByEmail(ctx, "ed@example.org")
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := as.UserByEmail(ctx, "admin@example.org")
	addSession(t, as, admin.ID, strings.Repeat("a", 64))
	sessionsOf := func(id int64) int {
		n := 0
		for _, h := range []string{strings.Repeat("a", 64), strings.Repeat("b", 64), strings.Repeat("c", 64), strings.Repeat("d", 64), strings.Repeat("e", 64)} {
			if s, err := as.Session(ctx, h, time.Now()); err == nil && s.UserID == id {
				n++
			}
		}
		return n
	}

	// passwd: the new password works, the old does not, sessions end.
	addSession(t, as, ed.ID, strings.Repeat("b", 64))
	addSession(t, as, ed.ID, strings.Repeat("c", 64))
	const newPW = "a brand new passphrase"
	out, _, err := userRun(t, data, newPW+"\n", "passwd", "--email", "ed@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2 sessions ended") {
		t.Errorf("passwd output %q", out)
	}
	ed, _ = as.UserByEmail(ctx, "ed@example.org")
	if ok, _ := auth.CheckPassword(ed.PasswordHash, newPW); !ok {
		t.Error("the new password does not match")
	}
	if ok, _ := auth.CheckPassword(ed.PasswordHash, adminPW); ok {
		t.Error("the old password still matches")
	}
	if n := sessionsOf(ed.ID); n != 0 {
		t.Errorf("%d sessions left after passwd", n)
	}
	if e := lastAudit(t, as, "user.password"); e.Target != "user:"+strconv.FormatInt(ed.ID, 10) {
		t.Errorf("passwd audit %+v", e)
	}

	// role: changed, sessions end, the audit says from what to what.
	addSession(t, as, ed.ID, strings.Repeat("d", 64))
	if out, _, err = userRun(t, data, "", "role", "--email", "ed@example.org", "--role", "contributor"); err != nil {
		t.Fatal(err)
	}
	ed, _ = as.UserByEmail(ctx, "ed@example.org")
	if ed.Role != model.AccountContributor || sessionsOf(ed.ID) != 0 || !strings.Contains(out, "editor → contributor") {
		t.Errorf("after role: %+v, %d sessions, output %q", ed, sessionsOf(ed.ID), out)
	}
	if e := lastAudit(t, as, "user.role"); !strings.HasPrefix(e.Detail, "role editor → contributor") {
		t.Errorf("role audit %+v", e)
	}
	if out, _, err = userRun(t, data, "", "role", "--email", "ed@example.org", "--role", "contributor"); err != nil || !strings.Contains(out, "already") {
		t.Errorf("same role again: %q, %v", out, err)
	}

	// disable: disabled, sessions end; enable undoes it.
	addSession(t, as, ed.ID, strings.Repeat("e", 64))
	if _, _, err = userRun(t, data, "", "disable", "--email", "ed@example.org"); err != nil {
		t.Fatal(err)
	}
	ed, _ = as.UserByEmail(ctx, "ed@example.org")
	if !ed.Disabled || sessionsOf(ed.ID) != 0 {
		t.Errorf("after disable: %+v, %d sessions", ed, sessionsOf(ed.ID))
	}
	lastAudit(t, as, "user.disable")
	out, _, err = userRun(t, data, "", "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "EMAIL") ||
		!strings.Contains(lines[1], "admin@example.org") || !strings.Contains(lines[1], "active") ||
		!strings.Contains(lines[2], "ed@example.org") || !strings.Contains(lines[2], "Ed Itor") ||
		!strings.Contains(lines[2], "contributor") || !strings.Contains(lines[2], "disabled") {
		t.Errorf("list:\n%s", out)
	}
	if _, _, err = userRun(t, data, "", "enable", "--email", "ed@example.org"); err != nil {
		t.Fatal(err)
	}
	if ed, _ = as.UserByEmail(ctx, "ed@example.org"); ed.Disabled {
		t.Error("still disabled after enable")
	}
	if n := sessionsOf(admin.ID); n != 1 {
		t.Errorf("the admin's session was touched: %d", n)
	}

	// Disabling the only admin warns.
	_, stderr, err := userRun(t, data, "", "disable", "--email", "admin@example.org")
	if err != nil || !strings.Contains(stderr, "no enabled admin") {
		t.Errorf("disabling the last admin: %v, stderr %q", err, stderr)
	}

	for _, sub := range []string{"passwd", "role", "disable", "enable"} {
		args := []string{sub, "--email", "nobody@example.org"}
		if sub == "role" {
			args = append(args, "--role", "editor")
		}
		if _, _, err := userRun(t, data, adminPW+"\n", args...); err == nil || !strings.Contains(err.Error(), `no account has the e-mail address "nobody@example.org"`) {
			t.Errorf("%s of an unknown account: %v", sub, err)
		}
	}
}

func TestUserListEmpty(t *testing.T) {
	out, _, err := userRun(t, t.TempDir(), "", "list")
	if err != nil || !strings.Contains(out, "no accounts yet") {
		t.Errorf("list of no accounts: %q, %v", out, err)
	}
}

func TestUserExitStatus(t *testing.T) {
	data := t.TempDir()
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
	}{
		{"no subcommand", "", []string{"user"}, 2, "Usage: imprint user"},
		{"help", "", []string{"user", "-h"}, 0, "Usage: imprint user"},
		{"subcommand help", "", []string{"user", "add", "-h"}, 0, "--role"},
		{"weak password", "short\n", []string{"user", "add", "--email", "a@example.org", "--role", "editor", "--data", data}, 1, "imprint user: password refused: the password is too short"},
		{"created", adminPW + "\n", []string{"user", "add", "--email", "a@example.org", "--role", "editor", "--data", data}, 0, ""},
		{"taken", adminPW + "\n", []string{"user", "add", "--email", "a@example.org", "--role", "editor", "--data", data}, 1, "already exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := run(t, tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}
