package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// listPageSize is how many publications one page of the list shows.
const listPageSize = 25

// listView is the data of the publication list.
type listView struct {
	Query    string
	Status   string
	Type     string
	TopicID  int64
	Trash    bool
	Items    []model.Publication
	Total    int
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	Types    []model.Type
	Statuses []model.Status
	Topics   []model.Topic
	OwnOnly  bool // a contributor sees only their own
	CanTrash bool
	CanPurge bool
}

// listPublications lists publications with filters by title, status,
// type, topic and trash, newest first, a page at a time.
func (s *server) listPublications(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := user(r)
	qv := r.URL.Query()
	v := listView{
		Query: strings.TrimSpace(qv.Get("q")), Status: qv.Get("status"), Type: qv.Get("type"),
		Trash: qv.Get("trash") == "1", Types: model.Types(), Statuses: model.Statuses,
		OwnOnly: !auth.Can(u, auth.PermEditAny), CanTrash: auth.Can(u, auth.PermTrash), CanPurge: auth.Can(u, auth.PermPurge),
	}
	if v.Status != "" && !model.Status(v.Status).Valid() {
		s.badRequest(w, r, fmt.Sprintf("Unknown status %q.", v.Status))
		return
	}
	if v.Type != "" && !model.Type(v.Type).Valid() {
		s.badRequest(w, r, fmt.Sprintf("Unknown type %q.", v.Type))
		return
	}
	if t := qv.Get("topic"); t != "" {
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil || id <= 0 {
			s.badRequest(w, r, fmt.Sprintf("Unknown topic %q.", t))
			return
		}
		v.TopicID = id
	}
	v.Page = 1
	if p := qv.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100000 {
			s.badRequest(w, r, fmt.Sprintf("Page %q is not a page number.", p))
			return
		}
		v.Page = n
	}
	q := store.PublicationQuery{Title: v.Query, Status: model.Status(v.Status), Type: model.Type(v.Type),
		TopicID: v.TopicID, Subtree: true, Trashed: v.Trash, Limit: listPageSize, Offset: (v.Page - 1) * listPageSize}
	if v.OwnOnly {
		q.CreatedBy = u.ID
	}
	res, err := s.store.ListPublications(ctx, q)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: list publications: %w", err))
		return
	}
	v.Items, v.Total = res.Items, res.Total
	v.Pages = max(1, (res.Total+listPageSize-1)/listPageSize)
	link := func(page int) string {
		q := url.Values{}
		for k, val := range map[string]string{"q": v.Query, "status": v.Status, "type": v.Type} {
			if val != "" {
				q.Set(k, val)
			}
		}
		if v.TopicID != 0 {
			q.Set("topic", strconv.FormatInt(v.TopicID, 10))
		}
		if v.Trash {
			q.Set("trash", "1")
		}
		if page > 1 {
			q.Set("page", strconv.Itoa(page))
		}
		if len(q) == 0 {
			return "/admin/publications"
		}
		return "/admin/publications?" + q.Encode()
	}
	if v.Page > 1 {
		v.PrevURL = link(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.NextURL = link(v.Page + 1)
	}
	if v.Topics, err = s.store.ListTopics(ctx); err != nil {
		s.serverError(w, r, fmt.Errorf("admin: topics: %w", err))
		return
	}
	title := "Publications"
	if v.Trash {
		title = "Trash"
	}
	s.render(w, r, http.StatusOK, "publications", page{Title: title, Section: "publications", Data: v})
}
