package importer

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// pubIndex finds stored publications by DOI and by title, year and first
// contributor. It is built once per file from the stores' keys of every
// publication (store.PublicationKey), and reads in full only the
// publications an entry may be: an import into a catalogue of 100,000
// does not read 100,000 records.
type pubIndex struct {
	st     store.Store
	byDOI  map[string][]int64
	byWork map[string][]int64
	slugs  map[string]bool
	// touched are the publications an earlier entry of the file created
	// or matched: a file lists each work once, so two entries alike in
	// title, year and author (the volumes of one book) are two works.
	touched map[int64]string
}

func loadPublications(ctx context.Context, st store.Store) (*pubIndex, error) {
	keys, err := st.PublicationKeys(ctx)
	if err != nil {
		return nil, err
	}
	ix := &pubIndex{st: st, byDOI: map[string][]int64{}, byWork: map[string][]int64{},
		slugs: make(map[string]bool, len(keys)), touched: map[int64]string{}}
	for _, k := range keys {
		ix.slugs[k.Slug] = true
		// A trashed publication keeps its slug but is no longer one an
		// entry can be: the editors removed it.
		if !k.Trashed {
			title := (&model.Publication{Title: k.Title, Subtitle: k.Subtitle}).FullTitle()
			ix.index(k.ID, k.DOI, workKeyOf(title, k.Issued.Start.Year, k.FirstFamily, k.FirstLiteral))
		}
	}
	return ix, nil
}

func (ix *pubIndex) index(id int64, doi, work string) {
	if doi != "" {
		k := strings.ToLower(doi)
		ix.byDOI[k] = append(ix.byDOI[k], id)
	}
	ix.byWork[work] = append(ix.byWork[work], id)
}

func (ix *pubIndex) add(p *model.Publication) {
	ix.index(p.ID, p.DOI, workKey(p))
	ix.slugs[p.Slug] = true
}

// replace indexes p, the new version of the publication old was.
func (ix *pubIndex) replace(old, p *model.Publication) {
	drop := func(m map[string][]int64, k string) {
		m[k] = slices.DeleteFunc(m[k], func(id int64) bool { return id == old.ID })
	}
	if old.DOI != "" {
		drop(ix.byDOI, strings.ToLower(old.DOI))
	}
	drop(ix.byWork, workKey(old))
	ix.add(p)
}

func (ix *pubIndex) taken(slug string) bool { return ix.slugs[slug] }

// match returns the stored publication the entry in is, or nil. dupOf is
// the key of an earlier entry of the file with the same DOI, which makes
// this one a duplicate. Of several publications with the entry's DOI, the
// oldest is the one.
func (ix *pubIndex) match(ctx context.Context, in *model.Publication, topics []model.Topic) (old *model.Publication, dupOf string, err error) {
	if in.DOI != "" {
		if ids := ix.byDOI[strings.ToLower(in.DOI)]; len(ids) > 0 {
			id := slices.Min(ids)
			if key, ok := ix.touched[id]; ok {
				return nil, key, nil
			}
			p, err := ix.st.Publication(ctx, id)
			return p, "", err
		}
	}
	var ids []int64
	for _, id := range ix.byWork[workKey(in)] {
		if _, ok := ix.touched[id]; !ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, "", nil
	}
	cands, err := ix.st.PublicationsByID(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	var fresh []*model.Publication
	for i := range cands {
		c := &cands[i]
		// Two different DOIs are two works, however alike their titles.
		if c.DOI != "" && in.DOI != "" && !strings.EqualFold(c.DOI, in.DOI) {
			continue
		}
		fresh = append(fresh, c)
	}
	if len(fresh) == 0 {
		return nil, "", nil
	}
	// Of several alike (volumes of one work), the one the entry leaves
	// unchanged is the one it was exported from; else the one agreeing
	// on most details, then the oldest.
	best, bestScore := fresh[0], -1
	for _, c := range fresh {
		if reflect.DeepEqual(editable(c), editable(merge(c, in, topics))) && agreement(c, in) == len(details(c)) {
			return c, "", nil
		}
		if sc := agreement(c, in); sc > bestScore || (sc == bestScore && c.ID < best.ID) {
			best, bestScore = c, sc
		}
	}
	return best, "", nil
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
	var family, literal string
	if len(p.Contributions) > 0 {
		family, literal = p.Contributions[0].Person.Family, p.Contributions[0].Person.Literal
	}
	return workKeyOf(p.FullTitle(), p.Issued.Start.Year, family, literal)
}

func workKeyOf(title string, year int, family, literal string) string {
	first := norm(literal)
	if literal == "" {
		first = norm(family)
	}
	return norm(title) + "|" + strconv.Itoa(year) + "|" + first
}
