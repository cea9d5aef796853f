package importer

import (
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
)

// norm folds case, accents and punctuation so that "Gómez-Pérez" and
// "gomez perez" compare equal. Names without Latin letters, which slugs
// cannot spell, are compared by their lower-cased words instead.
func norm(s string) string {
	s = plain(s)
	if k := model.Slugify(s); k != "" {
		return strings.ReplaceAll(k, "-", " ")
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// markup matches the rich-text tags CSL allows in titles and names
// (<i>, <b>, <sup>, <sub>, <span class="nocase">…).
var markup = regexp.MustCompile(`</?(?:i|b|sup|sub|span)(?:\s[^>]*)?>`)

// plain returns s without CSL rich-text markup, as a reader sees it: a
// BibTeX "{NATO}" and a RIS "NATO" are the same title.
func plain(s string) string {
	if !strings.ContainsRune(s, '<') && !strings.ContainsRune(s, '&') {
		return s
	}
	return html.UnescapeString(markup.ReplaceAllString(s, ""))
}

// familyKey is what people must share before their given names are
// compared: the family name and the suffix ("Jr." is a different person from his father).
func familyKey(p *model.Person) string {
	if p.Literal != "" {
		return "literal:" + norm(p.Literal)
	}
	return norm(p.Family) + "|" + norm(p.Suffix)
}

// particles are a name's particles together: formats disagree on whether
// "van" in "Ludwig van Beethoven" is dropped when sorting, not on the
// particle itself.
func particles(p *model.Person) string {
	return norm(p.DroppingParticle + " " + p.NonDroppingParticle)
}

// givenWords splits a normalized given name into words, treating the
// letters of "J.-P." or "S.A." as separate initials.
func givenWords(given string) []string {
	given = strings.ReplaceAll(given, ".", ". ")
	return strings.Fields(norm(given))
}

// givenCompatible reports whether two given names can belong to the same
// person: word by word, either the same word or an initial and a word it
// begins ("S. A." and "Sheila A."); a name with fewer words must match
// the other's first words ("S." and "Sheila A."). Two different full words
// ("Sheila", "Sharon") never match.
func givenCompatible(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	for i, w := range a {
		v := b[i]
		switch {
		case w == v:
		case len(w) == 1 && strings.HasPrefix(v, w):
		case len(v) == 1 && strings.HasPrefix(w, v):
		default:
			return false
		}
	}
	return true
}

// people indexes the people of the store so that each imported name is
// matched against everyone, including those created earlier in the file.
type people struct {
	byFamily map[string][]*model.Person
	byORCID  map[string]*model.Person
	slugs    map[string]bool
}

func newPeople(list []model.Person) *people {
	ix := &people{byFamily: map[string][]*model.Person{}, byORCID: map[string]*model.Person{}, slugs: map[string]bool{}}
	for i := range list {
		ix.add(&list[i])
	}
	return ix
}

func (ix *people) add(p *model.Person) {
	k := familyKey(p)
	ix.byFamily[k] = append(ix.byFamily[k], p)
	ix.slugs[p.Slug] = true
	if p.ORCID != "" {
		ix.byORCID[p.ORCID] = p
	}
}

// match finds the stored person an imported name refers to. An ORCID iD
// decides when both sides have one: the same iD is the same person however
// the name is spelled, and different iDs are different people however
// alike the names are. Otherwise an exact given name wins; otherwise a compatible one ("S. A. Smith" for "Sheila
// A. Smith") is taken only when exactly one person fits, and the others
// are returned so that the ambiguity can be reported.
func (ix *people) match(n *model.Person) (found *model.Person, ambiguous []*model.Person) {
	if n.ORCID != "" {
		if p := ix.byORCID[n.ORCID]; p != nil {
			return p, nil
		}
	}
	var cands []*model.Person
	for _, c := range ix.byFamily[familyKey(n)] {
		if n.ORCID == "" || c.ORCID == "" {
			cands = append(cands, c)
		}
	}
	if n.Literal != "" {
		if len(cands) > 0 {
			return lowestID(cands), nil
		}
		return nil, nil
	}
	g := givenWords(n.Given)
	// fits are the people the imported name could be; weak are those
	// whose stored given names are fewer than the imported ones: "S. A."
	// fits "Sheila A." word for word, and could be a "Sharon" whose
	// middle name was never recorded only if no one fits better.
	var exact, fits, weak []*model.Person
	for _, c := range cands {
		cg := givenWords(c.Given)
		switch {
		case particles(c) != particles(n):
		case strings.Join(cg, " ") == strings.Join(g, " "):
			exact = append(exact, c)
		case !givenCompatible(g, cg):
		case len(cg) < len(g):
			weak = append(weak, c)
		default:
			fits = append(fits, c)
		}
	}
	switch {
	case len(exact) > 0:
		// Two records with one name are a duplicate already; the older
		// one is the one editors have been linking.
		return lowestID(exact), nil
	case len(fits) == 1:
		return fits[0], nil
	case len(fits) == 0 && len(weak) == 1:
		return weak[0], nil
	}
	return nil, append(fits, weak...)
}

func lowestID(ps []*model.Person) *model.Person {
	best := ps[0]
	for _, p := range ps[1:] {
		if p.ID != 0 && (best.ID == 0 || p.ID < best.ID) {
			best = p
		}
	}
	return best
}

// freeSlug returns base, or base-2, base-3… whichever is not taken.
func freeSlug(base string, taken func(string) bool) string {
	if base == "" {
		base = "untitled"
	}
	if !taken(base) {
		return base
	}
	for n := 2; ; n++ {
		s := base + "-" + strconv.Itoa(n)
		if !taken(s) {
			return s
		}
	}
}

// shortSlug cuts a slug made from a title at a hyphen, so that URLs stay
// readable.
func shortSlug(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := s[:max]
	if i := strings.LastIndexByte(cut, '-'); i > max/2 {
		cut = cut[:i]
	}
	return strings.Trim(cut, "-")
}

func slugsOf(ps []*model.Person) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Slug
	}
	sort.Strings(out)
	return out
}
