package web

import (
	"net/http"

	"github.com/imprintpub/imprint/internal/store"
)

// regionShow serves GET /regions/{slug}: the region, the regions within it
// and the publications about it, newest first.
func (s *server) regionShow(w http.ResponseWriter, r *http.Request) {
	reg, err := s.store.RegionBySlug(r.Context(), r.PathValue("slug"))
	switch {
	case isNotFound(err):
		s.notFound(w, r)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	all, err := s.store.ListRegions(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := listingView{Kind: "Region", KindPlural: "regions", Name: reg.Name}
	for _, o := range all {
		switch {
		case o.ID == reg.ParentID && reg.ParentID != 0:
			v.Parent = &linkView{Name: o.Name, URL: "/regions/" + o.Slug}
		case o.ParentID == reg.ID:
			v.Children = append(v.Children, linkView{Name: o.Name, URL: "/regions/" + o.Slug})
		}
	}
	s.listing(w, r, "/regions/"+reg.Slug, "regions", reg.Description, store.PublicationQuery{RegionID: reg.ID}, v)
}
