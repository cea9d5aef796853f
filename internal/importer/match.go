package importer

import (
	"context"
	"reflect"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// pubIndex finds stored publications by DOI and by title, year and first
// contributor. It is built once per file from every stored publication:
// simple and exact, at the cost of reading them all.
type pubIndex struct {
	byDOI  map[string][]*model.Publication
	byWork map[string][]*model.Publication
	slugs  map[string]bool
	// touched are the publications an earlier entry of the file created
	// or matched: a file lists each work once, so two entries alike in
	// title, year and author (the volumes of one book) are two works.
	touched map[int64]string
}

func loadPublications(ctx context.Context, st store.Store) (*pubIndex, error) {
	ix := &pubIndex{byDOI: map[string][]*model.Publication{}, byWork: map[string][]*model.Publication{},
		slugs: map[string]bool{}, touched: map[int64]string{}}
	q := store.PublicationQuery{Limit: store.MaxLimit}
	for {
		page, err := st.ListPublications(ctx, q)
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			ix.add(&page.Items[i])
		}
		if page.NextCursor == "" {
			return ix, nil
		}
		q.Cursor = page.NextCursor
	}
}

func (ix *pubIndex) add(p *model.Publication) {
	if p.DOI != "" {
		k := strings.ToLower(p.DOI)
		ix.byDOI[k] = append(ix.byDOI[k], p)
	}
	k := workKey(p)
	ix.byWork[k] = append(ix.byWork[k], p)
	ix.slugs[p.Slug] = true
}

func (ix *pubIndex) replace(old, p *model.Publication) {
	drop := func(m map[string][]*model.Publication) {
		for k, ps := range m {
			for i, v := range ps {
				if v == old {
					m[k] = append(ps[:i:i], ps[i+1:]...)
					break
				}
			}
		}
	}
	drop(ix.byDOI)
	drop(ix.byWork)
	ix.add(p)
}

func (ix *pubIndex) taken(slug string) bool { return ix.slugs[slug] }

// match returns the stored publication the entry in is, or nil. dupOf is
// the key of an earlier entry of the file with the same DOI, which makes
// this one a duplicate.
func (ix *pubIndex) match(in *model.Publication, topics []model.Topic) (old *model.Publication, dupOf string) {
	if in.DOI != "" {
		for _, c := range ix.byDOI[strings.ToLower(in.DOI)] {
			if key, ok := ix.touched[c.ID]; ok {
				return nil, key
			}
			return c, ""
		}
	}
	var fresh []*model.Publication
	for _, c := range ix.byWork[workKey(in)] {
		// Two different DOIs are two works, however alike their titles.
		if c.DOI != "" && in.DOI != "" && !strings.EqualFold(c.DOI, in.DOI) {
			continue
		}
		if _, ok := ix.touched[c.ID]; !ok {
			fresh = append(fresh, c)
		}
	}
	if len(fresh) == 0 {
		return nil, ""
	}
	// Of several alike (volumes of one work), the one the entry leaves
	// unchanged is the one it was exported from; else the one agreeing
	// on most details, then the oldest.
	best, bestScore := fresh[0], -1
	for _, c := range fresh {
		if reflect.DeepEqual(editable(c), editable(merge(c, in, topics))) && agreement(c, in) == len(details(c)) {
			return c, ""
		}
		if sc := agreement(c, in); sc > bestScore || (sc == bestScore && c.ID < best.ID) {
			best, bestScore = c, sc
		}
	}
	return best, ""
}

// details are the fields that tell apart works alike in title, year and
// author.
func details(p *model.Publication) []string {
	v := p.Venue
	return []string{v.Volume, v.Issue, v.Number, v.Pages, v.ContainerTitle, v.Publisher, v.ISBN, p.URL, p.Issued.String()}
}

// agreement counts the details on which a and b agree, empty ones
// included.
func agreement(a, b *model.Publication) int {
	x, y := details(a), details(b)
	n := 0
	for i := range x {
		if plain(x[i]) == plain(y[i]) {
			n++
		}
	}
	return n
}

// workKey is the full title, the issued year and the first contributor's
// family (or organization) name, normalized.
func workKey(p *model.Publication) string {
	first := ""
	if len(p.Contributions) > 0 {
		c := p.Contributions[0].Person
		first = norm(c.Literal)
		if c.Literal == "" {
			first = norm(c.Family)
		}
	}
	return norm(p.FullTitle()) + "|" + strconv.Itoa(p.Issued.Start.Year) + "|" + first
}
