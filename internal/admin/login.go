package admin

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/auth"
)

// loginView is the data of the login page.
type loginView struct {
	Email string
	Next  string
	Error string
}

// loginForm shows the login page; someone already logged in goes on to
// next.
func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if auth.CurrentUser(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", page{Title: "Log in", Data: loginView{Next: next}})
}

// loginSubmit checks the password and starts a session. The CSRF check
// uses the pre-login token, so that another site cannot log a browser into
// an account of its choosing.
func (s *server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, formLimit)
	if err := s.auth.VerifyCSRF(r); err != nil {
		if tooLarge(err) {
			s.errorPage(w, r, http.StatusRequestEntityTooLarge, "Too large", "The login form sent too much data.")
			return
		}
		s.errorPage(w, r, http.StatusForbidden, "Form expired",
			"The login form's security token is missing or wrong. Reload the login page and try again (cookies must be enabled).")
		return
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	next := safeNext(r.PostFormValue("next"))
	view := loginView{Email: email, Next: next}
	if email == "" || r.PostFormValue("password") == "" {
		view.Error = "Enter your e-mail address and your password."
		s.render(w, r, http.StatusBadRequest, "login", page{Title: "Log in", Data: view})
		return
	}
	_, err := s.auth.Login(w, r, email, r.PostFormValue("password"))
	var throttled *auth.ThrottledError
	switch {
	case err == nil:
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	case errors.As(err, &throttled):
		view.Error = "Too many failed attempts. Try again in " + waitText(throttled.RetryAfter) + "."
		w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(throttled.RetryAfter.Seconds()))))
		s.render(w, r, http.StatusTooManyRequests, "login", page{Title: "Log in", Data: view})
	case errors.Is(err, auth.ErrInvalidCredentials):
		view.Error = "The e-mail address or the password is wrong."
		s.render(w, r, http.StatusUnauthorized, "login", page{Title: "Log in", Data: view})
	default:
		s.serverError(w, r, fmt.Errorf("admin: login %q: %w", email, err))
	}
}

// waitText says how long to wait in words: "about 5 minutes", "30 seconds".
func waitText(d time.Duration) string {
	switch {
	case d <= time.Second:
		return "a second"
	case d < time.Minute:
		return fmt.Sprintf("%d seconds", int(math.Ceil(d.Seconds())))
	case d < 2*time.Minute:
		return "about a minute"
	default:
		return fmt.Sprintf("about %d minutes", int(math.Ceil(d.Minutes())))
	}
}

// logout ends the session and goes back to the login page.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.auth.Logout(w, r); err != nil {
		s.serverError(w, r, fmt.Errorf("admin: logout: %w", err))
		return
	}
	s.redirect(w, r, "/admin/login", "You are logged out.")
}
