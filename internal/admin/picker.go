package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/imprintpub/imprint/internal/store"
)

// personChoice is one suggestion of the contributor picker.
type personChoice struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	RoleLine string `json:"roleLine,omitempty"`
}

// pickerSize bounds the picker's suggestions per request.
const pickerSize = 20

// peopleJSON answers the contributor picker: the people whose name
// contains ?q=, by slug and display name.
func (s *server) peopleJSON(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	people, err := s.store.ListPeople(r.Context(), store.PeopleQuery{Name: q, Limit: pickerSize})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: people matching %q: %w", q, err))
		return
	}
	out := make([]personChoice, 0, len(people))
	for _, p := range people {
		out = append(out, personChoice{Slug: p.Slug, Name: p.DisplayName(), RoleLine: p.RoleLine})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := json.NewEncoder(w).Encode(out); err != nil {
		s.log.ErrorContext(r.Context(), "people picker write failed", "err", err)
	}
}
