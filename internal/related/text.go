package related

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/imprintpub/imprint/internal/store"
)

// Text similarity is the second stage of ranking: the best candidates by
// shared terms (a pool a few times the list's length) are compared by
// wording, and a candidate whose title and summary say the same things
// moves up. Comparing every candidate's text would cost thousands of
// comparisons for a page whose topic is common; the pool keeps it bounded
// while still ordering the many candidates that share the same terms and
// so tie on those alone.
//
// Words are weighted by where they occur (title twice, subtitle and summary
// once) and compared by cosine similarity. The weights are integers and the
// similarity is computed from integer sums, so every path through the code
// (ranking from a store query or from an in-memory Index) gets the same
// score to the bit.

// textPool is how many candidates by shared terms are compared by text
// for a list of n.
func textPool(n int) int { return n + max(2*n, 20) }

// textVec is one publication's words as sorted word numbers with their
// weights, and the square of its norm.
type textVec struct {
	words   []uint32
	weights []uint32
	norm2   uint64
}

// vocabulary numbers words as they are first seen.
type vocabulary map[string]uint32

func (v vocabulary) number(w string) uint32 {
	n, ok := v[w]
	if !ok {
		n = uint32(len(v))
		v[w] = n
	}
	return n
}

// vectorize turns a publication's text into its vector.
func (v vocabulary) vectorize(t store.Text) textVec {
	counts := map[uint32]uint32{}
	for _, w := range textWords(t.Title) {
		counts[v.number(w)] += 2
	}
	for _, w := range textWords(t.Subtitle + " " + t.Summary) {
		counts[v.number(w)]++
	}
	vec := textVec{words: make([]uint32, 0, len(counts))}
	for w := range counts {
		vec.words = append(vec.words, w)
	}
	slices.Sort(vec.words)
	vec.weights = make([]uint32, len(vec.words))
	for i, w := range vec.words {
		c := counts[w]
		vec.weights[i] = c
		vec.norm2 += uint64(c) * uint64(c)
	}
	return vec
}

// cosine returns the cosine similarity of a and b, 0 when either is empty.
func cosine(a, b *textVec) float64 {
	if a.norm2 == 0 || b.norm2 == 0 {
		return 0
	}
	var dot uint64
	i, j := 0, 0
	for i < len(a.words) && j < len(b.words) {
		switch {
		case a.words[i] < b.words[j]:
			i++
		case a.words[i] > b.words[j]:
			j++
		default:
			dot += uint64(a.weights[i]) * uint64(b.weights[j])
			i++
			j++
		}
	}
	return float64(dot) / math.Sqrt(float64(a.norm2)*float64(b.norm2))
}

// textIndex holds the vectors of publications, loaded as needed.
type textIndex struct {
	vocab vocabulary
	vecs  map[int64]*textVec
}

func newTextIndex() *textIndex {
	return &textIndex{vocab: vocabulary{}, vecs: map[int64]*textVec{}}
}

func (x *textIndex) add(t store.Text) {
	v := x.vocab.vectorize(t)
	x.vecs[t.ID] = &v
}

// load reads the texts of the IDs not held yet.
func (x *textIndex) load(ctx context.Context, src store.Texts, ids []int64) error {
	var missing []int64
	for _, id := range ids {
		if _, ok := x.vecs[id]; !ok {
			missing = append(missing, id)
			x.vecs[id] = &textVec{} // a deleted publication has no words
		}
	}
	if len(missing) == 0 {
		return nil
	}
	ts, err := src.PublicationTexts(ctx, missing)
	if err != nil {
		return err
	}
	for _, t := range ts {
		x.add(t)
	}
	return nil
}

// similarity returns a function giving each candidate's similarity to self;
// nil when self's text is not known.
func (x *textIndex) similarity(self int64) func(id int64) float64 {
	sv, ok := x.vecs[self]
	if !ok {
		return nil
	}
	return func(id int64) float64 {
		cv, ok := x.vecs[id]
		if !ok {
			return 0
		}
		return cosine(sv, cv)
	}
}

// rerank adds the text similarity of each candidate in rs (ranked by shared
// terms, overrides first) to its score, orders the candidates again and
// returns the first n results, overrides still first.
func rerank(rs []Result, n int, w Weights, sim func(id int64) float64) []Result {
	k := 0
	for k < len(rs) && rs[k].Override {
		k++
	}
	if k >= n {
		return rs[:n]
	}
	cands := slices.Clone(rs[k:])
	for i := range cands {
		s := sim(cands[i].ID)
		cands[i].Text = s
		cands[i].Score += w.Text * s
	}
	sort.SliceStable(cands, func(i, j int) bool { return before(&cands[i], &cands[j]) })
	out := append(slices.Clone(rs[:k]), cands...)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// before orders ranked candidates: by score, then newer first, then by ID.
func before(a, b *Result) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.sortKey != b.sortKey {
		return a.sortKey > b.sortKey
	}
	return a.ID > b.ID
}

// stopwords are words too common in any text to say what it is about, and
// the pieces of addresses that Markdown links leave in a summary.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`about above after again against also among and any are aren't because been
		before being below between both but can cannot could did does doing down during each few for from further
		had has have having her here hers herself him himself his how into its itself just let more most much must
		not now off once only other our ours ourselves out over own same she should some such than that the their
		theirs them themselves then there these they this those through too under until upon very was were what
		when where which while who whom why will with within without would you your yours yourself yourselves
		new one two three may might many well even still yet via per http https www com org html`) {
		m[w] = true
	}
	return m
}()

// textWords splits s into the words similarity compares: lower-cased,
// without stop words, numbers or words under three letters, with a plural
// "s" taken off. Text in scripts written without spaces (Chinese, Japanese,
// Korean) is compared by pairs of characters.
func textWords(s string) []string {
	var out []string
	var word []rune
	flush := func() {
		if len(word) == 0 {
			return
		}
		if isCJK(word[0]) {
			if len(word) == 1 {
				out = append(out, string(word))
			}
			for i := 0; i+1 < len(word); i++ {
				out = append(out, string(word[i:i+2]))
			}
			word = word[:0]
			return
		}
		w := strings.Trim(strings.TrimSuffix(string(word), "'s"), "'")
		word = word[:0]
		if utf8.RuneCountInString(w) < 3 || stopwords[w] || strings.IndexFunc(w, unicode.IsLetter) < 0 {
			return
		}
		switch {
		case strings.HasSuffix(w, "ies") && len(w) > 5:
			w = w[:len(w)-3] + "y"
		case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") && len(w) > 4:
			w = w[:len(w)-1]
		}
		out = append(out, w)
	}
	for _, r := range s {
		switch {
		case isCJK(r):
			if len(word) > 0 && !isCJK(word[0]) {
				flush()
			}
			word = append(word, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' && len(word) > 0:
			if len(word) > 0 && isCJK(word[0]) {
				flush()
			}
			word = append(word, unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return out
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}
