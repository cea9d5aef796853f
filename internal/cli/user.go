package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

const userDescription = `
Manage the accounts of the editors' admin.

  add      --email E --role R [--name N]   create an account
  passwd   --email E                       set a new password
  role     --email E --role R              change the role
  disable  --email E                       stop an account from logging in
  enable   --email E                       allow a disabled account again
  list                                     list every account

Roles: admin (accounts and everything else), editor (all content,
publishing), contributor (their own drafts, submitted for review).

The password is read from the terminal, twice, or, when standard input is
not a terminal, from its first line ("printf '%s\n' "$PW" | imprint user
add ..."); never from an argument, which other users of the machine could
read. It must be 12 to 1024 bytes and not only spaces.

passwd, role and disable end the account's sessions, so that the change
holds at once on every app server, and every change is written to the
audit log.`

// userSubcommands lists the subcommands for errors and help.
const userSubcommands = "add, passwd, role, disable, enable or list"

func runUser(ctx context.Context, stdio Stdio, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(stdio.Err, "Usage: imprint user add|passwd|role|disable|enable|list [flags]\n\n%s\n\nRun 'imprint user <subcommand> -h' for its flags.\n", strings.TrimSpace(userDescription))
		if len(args) == 0 {
			return errUsage
		}
		return flag.ErrHelp
	}
	sub, args := args[0], args[1:]
	type spec struct {
		synopsis    string
		description string
		email, role bool // which of --email, --role it takes
		name        bool
		run         func(c *userCommand, ctx context.Context) error
	}
	specs := map[string]spec{
		"add":     {"--email E --role admin|editor|contributor [--name N]", "Create an account. The password is read from the terminal or standard input.", true, true, true, (*userCommand).add},
		"passwd":  {"--email E", "Set an account's password and end its sessions. The password is read from the terminal or standard input.", true, false, false, (*userCommand).passwd},
		"role":    {"--email E --role admin|editor|contributor", "Change an account's role and end its sessions.", true, true, false, (*userCommand).setRole},
		"disable": {"--email E", "Stop an account from logging in and end its sessions.", true, false, false, (*userCommand).disable},
		"enable":  {"--email E", "Allow a disabled account to log in again.", true, false, false, (*userCommand).enable},
		"list":    {"", "List every account: e-mail address, name, role, status and creation time.", false, false, false, (*userCommand).list},
	}
	sp, ok := specs[sub]
	if !ok {
		fmt.Fprintf(stdio.Err, "imprint user: unknown subcommand %q (want %s)\n", sub, userSubcommands)
		return errUsage
	}
	fs := newFlagSet(stdio, "user "+sub, strings.TrimSpace(sp.synopsis+" [--data DIR|--database URL]"), sp.description)
	c := &userCommand{stdio: stdio, sub: sub}
	var email, role *string
	if sp.email {
		email = fs.String("email", "", "the account's e-mail `address`")
	}
	if sp.role {
		role = fs.String("role", "", "the account's `role`: admin, editor or contributor")
	}
	if sp.name {
		fs.StringVar(&c.name, "name", "", "the `name` shown in the admin, revisions and the audit log")
	}
	dataDir := fs.String("data", "./imprint-data", "`directory` holding the database")
	database := fs.String("database", "", "database `location`: a postgres:// URL or an SQLite file (default $IMPRINT_DATABASE_URL, else DIR/imprint.db)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stdio.Err, "imprint user %s: unexpected argument %q (the password is never an argument; it is read from the terminal or standard input)\n", sub, fs.Arg(0))
		return errUsage
	}
	if email != nil {
		c.email = model.NormalizeEmail(*email)
		if c.email == "" {
			fmt.Fprintf(stdio.Err, "imprint user %s: --email is required\n", sub)
			return errUsage
		}
	}
	if role != nil {
		c.role = model.AccountRole(strings.ToLower(strings.TrimSpace(*role)))
		if *role == "" {
			fmt.Fprintf(stdio.Err, "imprint user %s: --role is required (admin, editor or contributor)\n", sub)
			return errUsage
		}
		if !c.role.Valid() {
			return fmt.Errorf("--role %q: want admin, editor or contributor", *role)
		}
	}

	st, err := openStore(ctx, *dataDir, *database)
	if err != nil {
		return err
	}
	defer st.Close()
	as, ok := any(st).(auth.Store)
	if !ok {
		return errors.New("this database does not keep accounts")
	}
	c.store = as
	c.auth, err = auth.New(auth.Config{Store: as, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	return sp.run(c, ctx)
}

// userCommand is one run of an imprint user subcommand.
type userCommand struct {
	stdio Stdio
	sub   string
	email string
	role  model.AccountRole
	name  string
	store auth.Store
	auth  *auth.Manager
}

func (c *userCommand) add(ctx context.Context) error {
	u := &model.User{
		Email: c.email,
		Name:  strings.TrimSpace(c.name),
		Role:  c.role,
		// Stands in for the hash while the other fields are checked,
		// so that a mistake shows before the password is asked for.
		PasswordHash: "$argon2id$",
	}
	if err := u.Validate(); err != nil {
		return err
	}
	switch _, err := c.store.UserByEmail(ctx, c.email); {
	case err == nil:
		return fmt.Errorf("an account with the e-mail address %q already exists (use imprint user passwd or role to change it)", c.email)
	case !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("look up %q: %w", c.email, err)
	}
	hash, err := c.newPasswordHash()
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	if err := c.store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("an account with the e-mail address %q already exists", c.email)
		}
		return fmt.Errorf("create account %q: %w", c.email, err)
	}
	if err := c.audit(ctx, "user.create", u, "role "+string(u.Role)); err != nil {
		return err
	}
	fmt.Fprintf(c.stdio.Out, "created %s account %s (user %d)\n", u.Role, u.Email, u.ID)
	return nil
}

func (c *userCommand) passwd(ctx context.Context) error {
	u, err := c.user(ctx)
	if err != nil {
		return err
	}
	hash, err := c.newPasswordHash()
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	if err := c.store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("update account %q: %w", u.Email, err)
	}
	n, err := c.endSessions(ctx, u, "user.password", "password changed")
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdio.Out, "changed the password of %s; %s ended\n", u.Email, sessions(n))
	return nil
}

func (c *userCommand) setRole(ctx context.Context) error {
	u, err := c.user(ctx)
	if err != nil {
		return err
	}
	if u.Role == c.role {
		fmt.Fprintf(c.stdio.Out, "%s is already %s; nothing changed\n", u.Email, c.role)
		return nil
	}
	old := u.Role
	u.Role = c.role
	if err := c.store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("update account %q: %w", u.Email, err)
	}
	n, err := c.endSessions(ctx, u, "user.role", "role "+string(old)+" → "+string(c.role))
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdio.Out, "%s: role %s → %s; %s ended\n", u.Email, old, c.role, sessions(n))
	return c.warnNoAdmin(ctx)
}

func (c *userCommand) disable(ctx context.Context) error {
	u, err := c.user(ctx)
	if err != nil {
		return err
	}
	was := u.Disabled
	if !was {
		u.Disabled = true
		if err := c.store.UpdateUser(ctx, u); err != nil {
			return fmt.Errorf("update account %q: %w", u.Email, err)
		}
	}
	// Sessions are ended even when the account was disabled already, in
	// case one outlived an earlier attempt.
	detail := "disabled"
	if was {
		detail = "already disabled"
	}
	n, err := c.endSessions(ctx, u, "user.disable", detail)
	if err != nil {
		return err
	}
	if was {
		fmt.Fprintf(c.stdio.Out, "%s was already disabled; %s ended\n", u.Email, sessions(n))
	} else {
		fmt.Fprintf(c.stdio.Out, "disabled %s; %s ended\n", u.Email, sessions(n))
	}
	return c.warnNoAdmin(ctx)
}

func (c *userCommand) enable(ctx context.Context) error {
	u, err := c.user(ctx)
	if err != nil {
		return err
	}
	if !u.Disabled {
		fmt.Fprintf(c.stdio.Out, "%s is not disabled; nothing changed\n", u.Email)
		return nil
	}
	u.Disabled = false
	if err := c.store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("update account %q: %w", u.Email, err)
	}
	if err := c.audit(ctx, "user.enable", u, "enabled"); err != nil {
		return err
	}
	fmt.Fprintf(c.stdio.Out, "enabled %s\n", u.Email)
	return nil
}

func (c *userCommand) list(ctx context.Context) error {
	users, err := c.store.ListUsers(ctx)
	if err != nil {
		return fmt.Errorf("list accounts: %w", err)
	}
	if len(users) == 0 {
		fmt.Fprintln(c.stdio.Out, "no accounts yet; create one with: imprint user add --email E --role admin")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdio.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tSTATUS\tCREATED")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", printable(u.Email), printable(u.Name), printable(string(u.Role)), status,
			u.CreatedAt.UTC().Format(time.DateOnly))
	}
	return tw.Flush()
}

// user returns the account --email names.
func (c *userCommand) user(ctx context.Context) (*model.User, error) {
	u, err := c.store.UserByEmail(ctx, c.email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("no account has the e-mail address %q (see imprint user list)", c.email)
	}
	if err != nil {
		return nil, fmt.Errorf("look up %q: %w", c.email, err)
	}
	return u, nil
}

// endSessions logs u out everywhere and writes the audit entry of the
// change that made it necessary.
func (c *userCommand) endSessions(ctx context.Context, u *model.User, action, detail string) (int, error) {
	n, err := c.auth.LogoutEverywhere(ctx, u.ID)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		detail += "; " + sessions(n) + " ended"
	}
	return n, c.audit(ctx, action, u, detail)
}

// audit records a change made from the command line. There is no account
// behind it, so the entry names the operating-system user instead.
func (c *userCommand) audit(ctx context.Context, action string, u *model.User, detail string) error {
	by := "command line"
	if cur, err := user.Current(); err == nil && cur.Username != "" {
		by += " (" + cur.Username + ")"
	}
	e := &store.AuditEntry{Action: action, Target: "user:" + strconv.FormatInt(u.ID, 10), UserName: by, Detail: detail}
	if err := c.store.AddAudit(ctx, e); err != nil {
		return fmt.Errorf("write audit log (%s %s): %w", action, u.Email, err)
	}
	return nil
}

// warnNoAdmin warns when no enabled admin account is left, since only the
// command line can then manage accounts.
func (c *userCommand) warnNoAdmin(ctx context.Context) error {
	users, err := c.store.ListUsers(ctx)
	if err != nil {
		return fmt.Errorf("list accounts: %w", err)
	}
	for _, u := range users {
		if u.Role == model.AccountAdmin && !u.Disabled {
			return nil
		}
	}
	fmt.Fprintln(c.stdio.Err, "warning: no enabled admin account is left; create one with imprint user add --role admin")
	return nil
}

// newPasswordHash reads a new password and hashes it.
func (c *userCommand) newPasswordHash() (string, error) {
	pw, err := readNewPassword(c.stdio, c.email)
	if err != nil {
		return "", err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// terminalAttempts is how often a mistyped or refused password may be
// entered again at the terminal.
const terminalAttempts = 3

// readNewPassword reads a password from the terminal, asking twice, or
// from the first line of standard input when that is not a terminal, and
// checks it with auth.ValidatePassword.
func readNewPassword(stdio Stdio, email string) (string, error) {
	if f, ok := stdio.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return readTerminalPassword(int(f.Fd()), stdio.Err, email)
	}
	line, err := bufio.NewReader(stdio.In).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	if err != nil && line == "" {
		return "", errors.New("no password on standard input: type it at a terminal or pipe it in as the first line")
	}
	pw := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if err := auth.ValidatePassword(pw); err != nil {
		return "", err
	}
	return pw, nil
}

func readTerminalPassword(fd int, prompt io.Writer, email string) (string, error) {
	for attempt := 1; ; attempt++ {
		fmt.Fprintf(prompt, "New password for %s: ", email)
		pw, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password from the terminal: %w", err)
		}
		if err := auth.ValidatePassword(string(pw)); err != nil {
			if attempt == terminalAttempts {
				return "", err
			}
			fmt.Fprintf(prompt, "%v; try again.\n", err)
			continue
		}
		fmt.Fprint(prompt, "Repeat it: ")
		again, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password from the terminal: %w", err)
		}
		if string(again) == string(pw) {
			return string(pw), nil
		}
		if attempt == terminalAttempts {
			return "", errors.New("the two passwords differ")
		}
		fmt.Fprintln(prompt, "The two passwords differ; try again.")
	}
}

// sessions says "1 session" or "N sessions".
func sessions(n int) string {
	if n == 1 {
		return "1 session"
	}
	return strconv.Itoa(n) + " sessions"
}

// printable quotes s when it holds characters that a terminal would
// interpret rather than show.
func printable(s string) string {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return strconv.Quote(s)
		}
	}
	return s
}
