package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// usersListView is the data of users_list.html.
type usersListView struct {
	Users []model.User
	Me    int64
}

func userPath(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

func userTarget(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// listUsers lists every account (admins only).
func (s *server) listUsers(w http.ResponseWriter, r *http.Request) {
	us, err := s.store.ListUsers(r.Context())
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: list users: %w", err))
		return
	}
	s.render(w, r, http.StatusOK, "users_list", page{Title: "Users", Section: "users", Data: usersListView{Users: us, Me: user(r).ID}})
}

// userFormView is the data of users_new.html and users_edit.html.
type userFormView struct {
	User    model.User // the account edited, or the values entered
	Roles   []model.AccountRole
	Errors  formErrors
	Problem string
	Self    bool // the account is the one logged in
}

func (s *server) newUser(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "users_new", page{Title: "Add a user", Section: "users",
		Data: userFormView{User: model.User{Role: model.AccountContributor}, Roles: model.AccountRoles}})
}

// createUser adds an account with the password the admin chose.
func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := r.PostForm
	u := &model.User{
		Email: model.NormalizeEmail(f.Get("Email")),
		Name:  strings.TrimSpace(f.Get("Name")),
		Role:  model.AccountRole(f.Get("Role")),
	}
	errs := formErrors{}
	password := f.Get("Password")
	if err := auth.ValidatePassword(password); err != nil {
		errs.add("Password", passwordProblem(err))
	} else if f.Get("Confirm") != password {
		errs.add("Confirm", "does not match the password")
	}
	// The other fields are checked before the password is hashed, which
	// costs a tenth of a second of a core: a form with mistakes costs
	// nothing.
	u.PasswordHash = "$argon2id$"
	if err := u.Validate(); err != nil {
		if fe, ok := fieldErrors(err); ok {
			for fld, m := range fe {
				errs.add(fld, m)
			}
		}
	}
	if len(errs) == 0 {
		hash, err := auth.HashPassword(password)
		if err != nil {
			s.serverError(w, r, fmt.Errorf("admin: add user %q: %w", u.Email, err))
			return
		}
		u.PasswordHash = hash
	}
	view := func(status int, errs formErrors) {
		show := *u
		show.PasswordHash = ""
		s.render(w, r, status, "users_new", page{Title: "Add a user", Section: "users",
			Data: userFormView{User: show, Roles: model.AccountRoles, Errors: errs}})
	}
	if len(errs) > 0 {
		view(http.StatusUnprocessableEntity, errs)
		return
	}
	err := s.inTx(ctx, func(tx dirTx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "user.create", userTarget(u.ID), u.Email+" as "+string(u.Role))
	})
	switch {
	case err == nil:
		s.redirect(w, r, userPath(u.ID), "Added "+u.Email+" as "+string(u.Role)+".")
	case errors.Is(err, store.ErrConflict):
		view(http.StatusConflict, formErrors{"Email": "already has an account"})
	default:
		if fe, ok := fieldErrors(err); ok {
			view(http.StatusUnprocessableEntity, fe)
			return
		}
		s.serverError(w, r, fmt.Errorf("admin: add user %q: %w", u.Email, err))
	}
}

// passwordProblem turns ValidatePassword's error into the message shown
// next to the field.
func passwordProblem(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && errors.Is(err, auth.ErrWeakPassword) {
		msg = msg[i+2:]
	}
	return msg
}

// loadUser reads the account of the {id} wildcard, answering 404 itself.
func (s *server) loadUser(w http.ResponseWriter, r *http.Request) (*model.User, bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	u, err := s.store.User(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: user %d: %w", id, err))
		return nil, false
	}
	return u, true
}

func (s *server) showUser(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadUser(w, r)
	if !ok {
		return
	}
	s.renderUser(w, r, http.StatusOK, u, nil, "")
}

func (s *server) renderUser(w http.ResponseWriter, r *http.Request, status int, u *model.User, errs formErrors, problem string) {
	show := *u
	show.PasswordHash = ""
	s.render(w, r, status, "users_edit", page{Title: "User " + u.Email, Section: "users",
		Data: userFormView{User: show, Roles: model.AccountRoles, Errors: errs, Problem: problem, Self: u.ID == user(r).ID}})
}

// changeAccount writes the account changed by change in one transaction
// with its audit entry, and ends the account's sessions so that the change
// takes effect at once (a demoted editor keeps no editor's session).
func (s *server) changeAccount(ctx context.Context, r *http.Request, u *model.User, action, detail string) error {
	return s.inTx(ctx, func(tx dirTx) error {
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		n, err := tx.DeleteUserSessions(ctx, u.ID)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, r, action, userTarget(u.ID), fmt.Sprintf("%s; %d session(s) ended", detail, n))
	})
}

// changeUserRole sets an account's name and role. An admin cannot change
// their own role, so that the site cannot lose its last admin by mistake.
func (s *server) changeUserRole(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadUser(w, r)
	if !ok {
		return
	}
	role := model.AccountRole(r.PostForm.Get("Role"))
	name := strings.TrimSpace(r.PostForm.Get("Name"))
	if !role.Valid() {
		s.renderUser(w, r, http.StatusUnprocessableEntity, u, formErrors{"Role": "must be admin, editor or contributor"}, "")
		return
	}
	if u.ID == user(r).ID && role != u.Role {
		s.renderUser(w, r, http.StatusConflict, u, formErrors{"Role": "you cannot change your own role; ask another admin"}, "")
		return
	}
	if role == u.Role && name == u.Name {
		s.redirect(w, r, userPath(u.ID), "Nothing changed.")
		return
	}
	old := u.Role
	oldName := u.Name
	u.Role, u.Name = role, name
	if err := u.Validate(); err != nil {
		if fe, ok := fieldErrors(err); ok {
			s.renderUser(w, r, http.StatusUnprocessableEntity, u, fe, "")
			return
		}
	}
	action, detail := "user.role", "role "+string(old)+" → "+string(role)
	if role == old {
		action, detail = "user.update", "name "+strconv.Quote(oldName)+" → "+strconv.Quote(name)
	}
	if err := s.changeAccount(r.Context(), r, u, action, detail); err != nil {
		s.serverError(w, r, fmt.Errorf("admin: change user %d: %w", u.ID, err))
		return
	}
	s.redirect(w, r, userPath(u.ID), "Saved "+u.Email+" ("+string(u.Role)+"); their sessions have ended.")
}

// setUserDisabled disables or enables an account; either way its sessions
// end. An admin cannot disable their own account.
func (s *server) setUserDisabled(disable bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, ok := s.loadUser(w, r)
		if !ok {
			return
		}
		if disable && u.ID == user(r).ID {
			s.renderUser(w, r, http.StatusConflict, u, nil, "You cannot disable your own account; ask another admin.")
			return
		}
		if u.Disabled == disable {
			s.redirect(w, r, userPath(u.ID), "Nothing changed.")
			return
		}
		u.Disabled = disable
		action, done := "user.enable", "Enabled "
		if disable {
			action, done = "user.disable", "Disabled "
		}
		if err := s.changeAccount(r.Context(), r, u, action, u.Email); err != nil {
			s.serverError(w, r, fmt.Errorf("admin: %s user %d: %w", action, u.ID, err))
			return
		}
		s.redirect(w, r, userPath(u.ID), done+u.Email+".")
	}
}

// resetUserPassword sets a new password chosen by the admin.
func (s *server) resetUserPassword(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadUser(w, r)
	if !ok {
		return
	}
	password := r.PostForm.Get("Password")
	if err := auth.ValidatePassword(password); err != nil {
		s.renderUser(w, r, http.StatusUnprocessableEntity, u, formErrors{"Password": passwordProblem(err)}, "")
		return
	}
	if r.PostForm.Get("Confirm") != password {
		s.renderUser(w, r, http.StatusUnprocessableEntity, u, formErrors{"Confirm": "does not match the password"}, "")
		return
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: reset password of user %d: %w", u.ID, err))
		return
	}
	u.PasswordHash = hash
	if err := s.changeAccount(r.Context(), r, u, "user.password", "password reset by an admin"); err != nil {
		s.serverError(w, r, fmt.Errorf("admin: reset password of user %d: %w", u.ID, err))
		return
	}
	if u.ID == user(r).ID {
		s.redirect(w, r, "/admin/login?next="+userPath(u.ID), "Your password was changed and every session ended: log in with the new password.")
		return
	}
	s.redirect(w, r, userPath(u.ID), "Set a new password for "+u.Email+"; their sessions have ended.")
}

// accountView is the data of users_account.html.
type accountView struct {
	User   model.User
	Errors formErrors
}

// account is every account's own page: change the password, log out
// everywhere.
func (s *server) account(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, nil)
}

func (s *server) renderAccount(w http.ResponseWriter, r *http.Request, status int, errs formErrors) {
	u := *user(r)
	u.PasswordHash = ""
	s.render(w, r, status, "users_account", page{Title: "My account", Data: accountView{User: u, Errors: errs}})
}

// Wrong current passwords on the account page are counted like failed
// logins, so that a session left open cannot be used to guess the
// password at leisure.
const (
	passwordChangeTries  = 5
	passwordChangeWindow = 15 * time.Minute
)

// changeOwnPassword changes the logged-in account's password after
// checking the current one, ends every session and logs in again with the
// new one.
func (s *server) changeOwnPassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := user(r)
	key := "account-password:" + strconv.FormatInt(me.ID, 10)
	if n, err := s.store.Hits(ctx, key, s.now(), passwordChangeWindow); err != nil {
		s.serverError(w, r, fmt.Errorf("admin: password change of user %d: %w", me.ID, err))
		return
	} else if n >= passwordChangeTries {
		s.renderAccount(w, r, http.StatusTooManyRequests, formErrors{"Current": "was wrong too many times; wait 15 minutes and try again"})
		return
	}
	current, password := r.PostForm.Get("Current"), r.PostForm.Get("Password")
	stored, err := s.store.User(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: password change of user %d: %w", me.ID, err))
		return
	}
	if ok, err := auth.CheckPassword(stored.PasswordHash, current); err != nil || !ok {
		if _, herr := s.store.Hit(ctx, key, s.now(), passwordChangeWindow); herr != nil {
			s.log.ErrorContext(ctx, "count failed password change", "user", me.ID, "err", herr)
		}
		s.renderAccount(w, r, http.StatusUnprocessableEntity, formErrors{"Current": "is not your current password"})
		return
	}
	if err := auth.ValidatePassword(password); err != nil {
		s.renderAccount(w, r, http.StatusUnprocessableEntity, formErrors{"Password": passwordProblem(err)})
		return
	}
	if r.PostForm.Get("Confirm") != password {
		s.renderAccount(w, r, http.StatusUnprocessableEntity, formErrors{"Confirm": "does not match the new password"})
		return
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: password change of user %d: %w", me.ID, err))
		return
	}
	stored.PasswordHash = hash
	if err := s.changeAccount(ctx, r, stored, "user.password", "changed by the account's owner"); err != nil {
		s.serverError(w, r, fmt.Errorf("admin: password change of user %d: %w", me.ID, err))
		return
	}
	_ = s.store.ResetHits(ctx, key)
	// Every session ended with the change, this one too; a fresh one
	// spares the owner logging in again.
	if _, err := s.auth.Login(w, r, stored.Email, password); err != nil {
		s.redirect(w, r, "/admin/login?next=/admin/account", "Your password was changed and every session ended: log in with the new password.")
		return
	}
	s.redirect(w, r, "/admin/account", "Your password was changed; every other session has ended.")
}

// logoutEverywhere ends every session of the logged-in account, this one
// included.
func (s *server) logoutEverywhere(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := user(r)
	var n int
	err := s.inTx(ctx, func(tx dirTx) error {
		var err error
		if n, err = tx.DeleteUserSessions(ctx, me.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "logout.everywhere", userTarget(me.ID), fmt.Sprintf("%d session(s) ended", n))
	})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: log out user %d everywhere: %w", me.ID, err))
		return
	}
	// The session is gone; this only expires the browser's cookie.
	if err := s.auth.Logout(w, r); err != nil {
		s.log.ErrorContext(ctx, "logout after logging out everywhere", "user", me.ID, "err", err)
	}
	s.redirect(w, r, "/admin/login", fmt.Sprintf("Logged out of %d session(s) everywhere.", n))
}
