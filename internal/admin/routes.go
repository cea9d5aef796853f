package admin

import (
	"net/http"

	"github.com/imprintpub/imprint/internal/auth"
)

// routes lists every route of the admin. The patterns use Go 1.22 method
// matching, so a GET to an action gets 405 from the mux, not a page.
func (s *server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /admin/static/", staticHandler())
	mux.HandleFunc("GET /admin/login", s.loginForm)
	mux.HandleFunc("POST /admin/login", s.loginSubmit)
	mux.Handle("POST /admin/logout", s.action(formLimit, s.logout))
	mux.HandleFunc("GET /admin", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusMovedPermanently)
	})
	mux.Handle("GET /admin/{$}", s.page(s.dashboard))

	mux.Handle("GET /admin/publications", s.page(s.listPublications, auth.PermDraft))
	mux.Handle("GET /admin/publications/new", s.page(s.newPublication, auth.PermDraft))
	mux.Handle("POST /admin/publications/new", s.action(s.editLimit(), s.savePublication, auth.PermDraft))
	mux.Handle("GET /admin/publications/{id}", s.page(s.editPublication, auth.PermDraft))
	mux.Handle("POST /admin/publications/{id}", s.action(s.editLimit(), s.savePublication, auth.PermDraft))
	mux.Handle("POST /admin/preview", s.action(formLimit, s.preview, auth.PermDraft))
	mux.Handle("GET /admin/people.json", s.page(s.peopleJSON, auth.PermDraft))
	mux.Handle("GET /admin/publications/{id}/revisions", s.page(s.revisions, auth.PermDraft))
	mux.Handle("GET /admin/publications/{id}/revisions/diff", s.page(s.revisionDiff, auth.PermDraft))
	mux.Handle("POST /admin/publications/{id}/revisions/{rev}/restore", s.action(formLimit, s.restoreRevision, auth.PermDraft))
	mux.Handle("POST /admin/publications/{id}/trash", s.action(formLimit, s.trashPublication, auth.PermTrash))
	mux.Handle("POST /admin/publications/{id}/restore", s.action(formLimit, s.restorePublication, auth.PermTrash))
	mux.Handle("GET /admin/publications/{id}/purge", s.page(s.purgeForm, auth.PermPurge))
	mux.Handle("POST /admin/publications/{id}/purge", s.action(formLimit, s.purgePublication, auth.PermPurge))

	s.directoryRoutes(mux)
	mux.Handle("GET /admin/", s.page(s.notFound))
	return mux
}
