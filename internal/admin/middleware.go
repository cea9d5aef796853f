package admin

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/pages"
)

// formLimit bounds the body of every form without a file.
const formLimit = 1 << 20

// multipartMemory is how much of a multipart form is held in memory; a
// file beyond it goes to a temporary file that the server removes after
// the request.
const multipartMemory = 1 << 20

// sizeText writes a byte count for people: "1 MiB", "512 KiB".
func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// secure sets the security headers on every response. Admin pages carry
// drafts and account data, so no cache may keep them.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		pages.SetSecurityHeaders(h, "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/admin/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic in a handler into a logged 500, so that one
// bad record cannot take the process down.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "admin handler panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				http.Error(w, "internal server error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// page guards a page read with GET: without a session it redirects to the
// login page, which comes back here; without every permission in perms it
// answers 403.
func (s *server) page(h http.HandlerFunc, perms ...auth.Permission) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := auth.CurrentUser(r.Context())
		if u == nil {
			http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		for _, p := range perms {
			if !auth.Can(u, p) {
				s.forbidden(w, r)
				return
			}
		}
		h(w, r)
	})
}

// action guards a state-changing POST: the body is limited to limit bytes,
// the CSRF token is checked first (403), then the session (401) and every
// permission in perms (403), before h runs.
func (s *server) action(limit int64, h http.HandlerFunc, perms ...auth.Permission) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if r.Header.Get(auth.CSRFHeader) == "" {
			// The token is in the body: read it here, so that a body past
			// the limit is reported as such and not as a missing token.
			if err := r.ParseMultipartForm(multipartMemory); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				if tooLarge(err) {
					s.errorPage(w, r, http.StatusRequestEntityTooLarge, "Too large",
						fmt.Sprintf("The form sent more than %s; nothing was saved. Send a smaller file.", sizeText(limit)))
					return
				}
				s.badRequest(w, r, "The form could not be read: "+err.Error())
				return
			}
		}
		if err := s.auth.VerifyCSRF(r); err != nil {
			s.errorPage(w, r, http.StatusForbidden, "Form expired",
				"The form's security token is missing or does not match your session. Go back, reload the page and send it again.")
			return
		}
		u := auth.CurrentUser(r.Context())
		if u == nil {
			s.errorPage(w, r, http.StatusUnauthorized, "Not logged in", "Your session has ended. Log in again, then repeat what you were doing.")
			return
		}
		for _, p := range perms {
			if !auth.Can(u, p) {
				s.forbidden(w, r)
				return
			}
		}
		h(w, r)
	})
}

// tooLarge reports whether err comes from a body past its MaxBytesReader
// limit.
func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// user returns the logged-in account; the guards make sure there is one.
func user(r *http.Request) *model.User {
	return auth.CurrentUser(r.Context())
}

// safeNext returns target when it is a path on this site, and "/admin/"
// otherwise, so that the login page cannot send anyone elsewhere.
func safeNext(target string) string {
	if target == "" || !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.ContainsAny(target, "\\\r\n\t") {
		return "/admin/"
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/admin/"
	}
	return target
}
