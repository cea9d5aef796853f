package admin

import (
	"fmt"
	"net/http"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// dashboardView is the data of the admin's home page.
type dashboardView struct {
	Drafts    []model.Publication // mine
	Review    []model.Publication // awaiting review (a contributor's own)
	Scheduled []model.Publication
	Published []model.Publication // recently
}

// dashboardSize is how many entries each list of the dashboard shows.
const dashboardSize = 10

// dashboard is the admin's home page: my drafts, what awaits review, what
// is scheduled and what was published lately.
func (s *server) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := user(r)
	own := int64(0)
	if !auth.Can(u, auth.PermEditAny) {
		own = u.ID
	}
	var v dashboardView
	for _, l := range []struct {
		dst *[]model.Publication
		q   store.PublicationQuery
	}{
		{&v.Drafts, store.PublicationQuery{Status: model.StatusDraft, CreatedBy: u.ID}},
		{&v.Review, store.PublicationQuery{Status: model.StatusReview, CreatedBy: own}},
		{&v.Scheduled, store.PublicationQuery{Status: model.StatusScheduled, CreatedBy: own}},
		{&v.Published, store.PublicationQuery{Status: model.StatusPublished, CreatedBy: own}},
	} {
		l.q.Limit = dashboardSize
		page, err := s.store.ListPublications(ctx, l.q)
		if err != nil {
			s.serverError(w, r, fmt.Errorf("admin: dashboard: %w", err))
			return
		}
		*l.dst = page.Items
	}
	s.render(w, r, http.StatusOK, "dashboard", page{Title: "Dashboard", Section: "dashboard", Data: v})
}
