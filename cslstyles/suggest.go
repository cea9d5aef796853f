package cslstyles

import (
	"sort"
	"strings"
	"unicode"
)

// Suggest returns up to n ids of bundled styles close to query, best first,
// for "unknown style" messages. Ids that start with the query come first,
// then ids containing it, then styles whose id or title contains every word
// of the query, then ids within a small edit distance (typos). Old ids that
// renamed-styles.json still resolves take part too, suggesting the style they
// resolve to. Within a tier, independent styles come before dependent ones,
// and shorter ids before longer ones.
func Suggest(query string, n int) []string {
	b, err := load()
	if err != nil || n <= 0 {
		return nil
	}
	q := normalizeQuery(normalizeID(query))
	if q == "" {
		return nil
	}
	words := strings.FieldsFunc(q, func(r rune) bool { return r == '-' })
	// Typos scale with length; a one-letter query would match everything.
	maxDist := min(len(q)/4+1, 4)
	type cand struct {
		id                 string
		tier, d, length    int
		renamed, dependent bool
	}
	// Each candidate is a name to match and the current id it stands for.
	type name struct{ match, id, title string }
	pool := make([]name, 0, len(b.list)+1000)
	for _, s := range b.list {
		pool = append(pool, name{s.ID, s.ID, s.Title})
	}
	if ren, err := renamed(); err == nil {
		for old := range ren {
			if cur, err := Resolve(old); err == nil && cur != old {
				pool = append(pool, name{match: old, id: cur})
			}
		}
	}
	// less orders by tier and distance, then prefers current ids to old
	// ones, independent styles to dependent ones, and shorter names.
	less := func(a, b cand) bool {
		switch {
		case a.tier != b.tier:
			return a.tier < b.tier
		case a.d != b.d:
			return a.d < b.d
		case a.renamed != b.renamed:
			return !a.renamed
		case a.dependent != b.dependent:
			return !a.dependent
		case a.length != b.length:
			return a.length < b.length
		}
		return a.id < b.id
	}
	best := map[string]cand{}
	for _, nm := range pool {
		id := nm.match
		c := cand{id: nm.id, length: len(id), renamed: id != nm.id, dependent: b.list[b.styles[nm.id]].Dependent}
		switch {
		case strings.HasPrefix(id, q):
			// An exact match of the normalized query ("Harvard cite them
			// right") sorts first by being the shortest id with the prefix.
			c.tier = 0
		case strings.Contains(id, q):
			c.tier = 1
		case containsAll(id+" "+normalizeQuery(nm.title), words):
			c.tier = 2
		default:
			// Compare with the id's prefix as well, so that "chicago-fulnote"
			// is near "chicago-fullnote-bibliography".
			d := editDistance(q, id, maxDist)
			// A typo may shift the cut by a letter either way.
			for l := len(q) - 1; l <= len(q)+1; l++ {
				if l > 0 && l < len(id) {
					d = min(d, editDistance(q, id[:l], maxDist)+1)
				}
			}
			if d > maxDist {
				continue
			}
			c.tier, c.d = 3, d
		}
		if old, ok := best[c.id]; !ok || less(c, old) {
			best[c.id] = c
		}
	}
	cands := make([]cand, 0, len(best))
	for _, c := range best {
		cands = append(cands, c)
	}
	sort.Slice(cands, func(i, j int) bool { return less(cands[i], cands[j]) })
	out := make([]string, 0, min(n, len(cands)))
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.id)
	}
	return out
}

// normalizeQuery lower-cases s and turns runs of anything but letters and
// digits into single hyphens, the shape of a style id.
func normalizeQuery(s string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			dash = false
			sb.WriteRune(r)
			continue
		}
		dash = true
	}
	return sb.String()
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return len(words) > 0
}

// editDistance is the Levenshtein distance between a and b (bytes; ids are
// ASCII), or a value above limit as soon as it is known to exceed it.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
