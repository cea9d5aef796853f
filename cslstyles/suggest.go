package cslstyles

import (
	"sort"
	"strings"
	"unicode"
)

// Suggest returns up to n ids of bundled styles close to query, best first,
// for "unknown style" messages. Ids that start with the query come first,
// then ids containing it, then styles whose id or title contains every word
// of the query, then ids within a small edit distance (typos). Within a
// tier, independent styles and shorter ids come first.
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
		id        string
		tier, d   int
		dependent bool
	}
	var cands []cand
	for _, s := range b.list {
		id := s.ID
		c := cand{id: id, dependent: s.Dependent}
		switch {
		case strings.HasPrefix(id, q):
			// An exact match of the normalized query ("Harvard cite them
			// right") sorts first by being the shortest id with the prefix.
			c.tier = 0
		case strings.Contains(id, q):
			c.tier = 1
		case containsAll(id+" "+normalizeQuery(s.Title), words):
			c.tier = 2
		default:
			// Compare with the id's prefix as well, so that "chicago-fulnote"
			// is near "chicago-fullnote-bibliography".
			d := editDistance(q, id, maxDist)
			if len(id) > len(q) {
				d = min(d, editDistance(q, id[:len(q)], maxDist)+1)
			}
			if d > maxDist {
				continue
			}
			c.tier, c.d = 3, d
		}
		cands = append(cands, c)
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if a.d != b.d {
			return a.d < b.d
		}
		if a.dependent != b.dependent {
			return !a.dependent
		}
		if len(a.id) != len(b.id) {
			return len(a.id) < len(b.id)
		}
		return a.id < b.id
	})
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
