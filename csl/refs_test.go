package csl_test

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/imprintpub/imprint/csl"
)

// The real-reference test compares the processor with citeproc-js on the
// items of testdata/refs (see its README). testdata/refs/agreement.txt
// records how many entries agree per style and mode; the test fails when
// agreement drops below it, and -update rewrites it with the current
// counts. The target is 98% per style and mode.

var (
	refsStyle = flag.String("refs.style", "", "only these styles (comma-separated golden names, e.g. apa,vancouver)")
	refsMode  = flag.String("refs.mode", "", "only this mode: bibliography, citation or html (the HTML bibliography)")
	refsShow  = flag.Int("refs.show", 5, "disagreements to print per style and mode with -v")
	refsID    = flag.String("refs.id", "", "print the item with this id and both outputs in every selected style and mode")
)

func init() {
	// The conformance test of this package may define -update as well; one
	// flag serves both.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite ratchet files with the current results")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

const refsDir = "testdata/refs"

// refStyle names a golden file set and the style file it was made with.
type refStyle struct{ golden, file string }

var refStyles = []refStyle{
	{"apa", "apa"},
	{"modern-language-association", "modern-language-association"},
	{"chicago-author-date", "chicago-author-date"},
	{"chicago-notes-bibliography", "chicago-notes-bibliography"},
	{"ieee", "ieee"},
	{"harvard-cite-them-right", "harvard-cite-them-right"},
	{"vancouver", "nlm-citation-sequence"}, // upstream renamed the style
	{"nature", "nature"},
	{"american-political-science-association", "american-political-science-association"},
}

// refModes are the comparisons made per style: the text bibliography, one
// text citation per item, and the HTML bibliography entry by entry.
var refModes = []string{"bibliography", "citation", "html"}

// refItems reads testdata/refs/dev-refs.json once per test binary.
var refItems = sync.OnceValues(func() ([]csl.Item, error) {
	data, err := os.ReadFile(filepath.Join(refsDir, "dev-refs.json"))
	if err != nil {
		return nil, err
	}
	items, err := csl.ParseItems(data)
	if err != nil {
		return nil, fmt.Errorf("dev-refs.json: %w", err)
	}
	return items, nil
})

func loadRefsLocale(tag string) ([]byte, error) {
	// The golden files were made with en-US forced for every style.
	if tag != "en-US" {
		return nil, fmt.Errorf("locale %q: only en-US is vendored in %s", tag, refsDir)
	}
	return os.ReadFile(filepath.Join(refsDir, "locales-en-US.xml"))
}

func newRefsProcessor(tb testing.TB, file string) *csl.Processor {
	tb.Helper()
	path := filepath.Join(refsDir, "styles", file+".csl")
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := csl.ParseStyle(data)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	p, err := csl.NewProcessor(st, csl.Options{Locale: "en-US", LoadLocale: loadRefsLocale})
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return p
}

// golden reads the lines of STYLE[.cite].txt keyed by the ids in the
// matching .ids.txt, keeping their order.
func golden(tb testing.TB, name, mode string) (ids []string, text map[string]string) {
	tb.Helper()
	base := filepath.Join(refsDir, "golden", name)
	if mode == "citation" {
		base += ".cite"
	}
	ids = readLines(tb, base+".ids.txt")
	var lines []string
	if mode == "html" {
		lines = htmlEntries(tb, base+".html")
	} else {
		lines = readLines(tb, base+".txt")
	}
	if len(ids) != len(lines) {
		tb.Fatalf("%s: %d ids for %d lines", base, len(ids), len(lines))
	}
	text = make(map[string]string, len(ids))
	for i, id := range ids {
		text[id] = lines[i]
	}
	return ids, text
}

func readLines(tb testing.TB, path string) []string {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// htmlEntries splits a csl-bib-body file into the contents of its
// csl-entry divs, normalized by htmlLine.
func htmlEntries(tb testing.TB, path string) []string {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	const open, entry = "<div class=\"csl-bib-body\">\n", "  <div class=\"csl-entry\">"
	body, ok := strings.CutPrefix(string(data), open)
	body, ok2 := strings.CutSuffix(strings.TrimRight(body, "\n"), "</div>")
	if !ok || !ok2 || !strings.HasPrefix(body, entry) {
		tb.Fatalf("%s: not a csl-bib-body block", path)
	}
	var out []string
	for _, chunk := range strings.Split(body[len(entry):], "\n"+entry) {
		out = append(out, htmlLine(strings.TrimSuffix(strings.TrimRight(chunk, "\n"), "</div>")))
	}
	return out
}

// htmlLine removes the line breaks and indentation that citeproc-js puts
// between the divs of a second-field-align entry, so that the markup is
// compared and not the layout.
func htmlLine(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var sb strings.Builder
	for i, l := range strings.Split(s, "\n") {
		if i > 0 {
			l = strings.TrimLeft(l, " ")
		}
		sb.WriteString(l)
	}
	return sb.String()
}

// oneLine normalizes an entry as the golden files were written: trailing
// newlines dropped, inner ones turned into spaces.
func oneLine(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", " ")
}

type refResult struct {
	agree, total int
	extra        []string // ids we printed that citeproc-js left out
	misordered   int      // bibliography entries whose position differs
	byType       map[string]int
	diffs        []refDiff
}

type refDiff struct{ id, typ, got, want string }

func render(tb testing.TB, p *csl.Processor, items []csl.Item, mode string) (ids, texts []string) {
	tb.Helper()
	if mode == "citation" {
		cites, err := p.CiteEach(items, csl.Text)
		if err != nil {
			tb.Fatalf("CiteEach: %v", err)
		}
		if len(cites) != len(items) {
			tb.Fatalf("CiteEach returned %d citations for %d items", len(cites), len(items))
		}
		for i, c := range cites {
			ids = append(ids, items[i].ID)
			texts = append(texts, oneLine(c))
		}
		return ids, texts
	}
	f, norm := csl.Text, oneLine
	if mode == "html" {
		f, norm = csl.HTML, htmlLine
	}
	bib, err := p.Bibliography(items, f)
	if err != nil {
		tb.Fatalf("Bibliography: %v", err)
	}
	for _, e := range bib.Entries {
		ids = append(ids, e.ID)
		texts = append(texts, norm(e.Text))
	}
	return ids, texts
}

func compareRefs(tb testing.TB, items []csl.Item, rs refStyle, mode string) refResult {
	wantIDs, want := golden(tb, rs.golden, mode)
	gotIDs, gotTexts := render(tb, newRefsProcessor(tb, rs.file), items, mode)
	got := make(map[string]string, len(gotIDs))
	for i, id := range gotIDs {
		got[id] = gotTexts[i]
	}
	types := make(map[string]string, len(items))
	for _, it := range items {
		types[it.ID] = it.Type
	}
	r := refResult{total: len(wantIDs), byType: map[string]int{}}
	for _, id := range wantIDs {
		g, ok := got[id]
		if ok && g == want[id] {
			r.agree++
			continue
		}
		if !ok {
			g = "(no entry)"
		}
		r.byType[types[id]]++
		r.diffs = append(r.diffs, refDiff{id: id, typ: types[id], got: g, want: want[id]})
	}
	if mode == "citation" {
		return r
	}
	// Order matters in a bibliography: among the ids both sides printed,
	// the entries outside the longest run in golden order are out of place.
	pos := make(map[string]int, len(wantIDs))
	for i, id := range wantIDs {
		pos[id] = i
	}
	var seq []int
	for _, id := range gotIDs {
		if i, ok := pos[id]; ok {
			seq = append(seq, i)
		} else {
			r.extra = append(r.extra, id)
		}
	}
	r.misordered = len(seq) - longestIncreasing(seq)
	return r
}

// longestIncreasing returns the length of the longest strictly increasing
// subsequence of seq.
func longestIncreasing(seq []int) int {
	var tails []int
	for _, x := range seq {
		i := sort.SearchInts(tails, x)
		if i == len(tails) {
			tails = append(tails, x)
		} else {
			tails[i] = x
		}
	}
	return len(tails)
}

func TestRefs(t *testing.T) {
	items, err := refItems()
	if err != nil {
		t.Fatal(err)
	}
	ratchet := readAgreement(t)
	current := map[string][2]int{}
	for k, v := range ratchet {
		current[k] = v
	}
	var summary []string
	for _, rs := range refStyles {
		if *refsStyle != "" && !contains(strings.Split(*refsStyle, ","), rs.golden) {
			continue
		}
		for _, mode := range refModes {
			if *refsMode != "" && mode != *refsMode {
				continue
			}
			t.Run(rs.golden+"/"+mode, func(t *testing.T) {
				if *refsID != "" {
					showItem(t, items, rs, mode, *refsID)
				}
				r := compareRefs(t, items, rs, mode)
				key := rs.golden + " " + mode
				current[key] = [2]int{r.agree, r.total}
				line := fmt.Sprintf("refs %s %s: %d/%d agree (%.1f%%)", rs.golden, mode, r.agree, r.total, pct(r.agree, r.total))
				if len(r.extra) > 0 {
					line += fmt.Sprintf("; %d entries citeproc-js leaves out (%s)", len(r.extra), strings.Join(r.extra[:min(3, len(r.extra))], ", "))
				}
				if r.misordered > 0 {
					line += fmt.Sprintf("; %d bibliography entries out of order", r.misordered)
				}
				fmt.Println(line)
				summary = append(summary, line)
				reportDiffs(t, r)
				if was, ok := ratchet[key]; ok && !updating() {
					switch {
					case r.total != was[1]:
						t.Errorf("%s: %d golden entries, agreement.txt records %d: golden files changed, run with -update", key, r.total, was[1])
					case r.agree < was[0]:
						t.Errorf("%s: agreement fell from %d to %d of %d (see the disagreements above with -v)", key, was[0], r.agree, r.total)
					case r.agree > was[0]:
						t.Logf("%s: agreement rose from %d to %d; record it with -update", key, was[0], r.agree)
					}
				} else if !ok && !updating() {
					t.Errorf("%s: not in agreement.txt; run with -update", key)
				}
			})
		}
	}
	if updating() {
		writeAgreement(t, current)
	}
}

func reportDiffs(t *testing.T, r refResult) {
	if len(r.diffs) == 0 || !testing.Verbose() {
		return
	}
	var types []string
	for typ, n := range r.byType {
		types = append(types, fmt.Sprintf("%s %d", typ, n))
	}
	sort.Slice(types, func(i, j int) bool {
		ni, _ := strconv.Atoi(types[i][strings.LastIndexByte(types[i], ' ')+1:])
		nj, _ := strconv.Atoi(types[j][strings.LastIndexByte(types[j], ' ')+1:])
		return ni > nj || ni == nj && types[i] < types[j]
	})
	t.Logf("disagreements by item type: %s", strings.Join(types, ", "))
	// The same difference across many entries usually means one bug; the
	// commonest come first.
	type pattern struct {
		change, example string
		n               int
	}
	counts := map[string]*pattern{}
	for _, d := range r.diffs {
		_, w, g, _ := diffParts(d.got, d.want)
		key := fmt.Sprintf("%q → %q", clip(w, 40), clip(g, 40))
		if counts[key] == nil {
			counts[key] = &pattern{change: key, example: d.id}
		}
		counts[key].n++
	}
	var pats []*pattern
	for _, p := range counts {
		pats = append(pats, p)
	}
	sort.Slice(pats, func(i, j int) bool {
		return pats[i].n > pats[j].n || pats[i].n == pats[j].n && pats[i].change < pats[j].change
	})
	var sb strings.Builder
	for _, p := range pats[:min(8, len(pats))] {
		fmt.Fprintf(&sb, "\n  %5d× want %s (e.g. %s)", p.n, p.change, p.example)
	}
	t.Logf("commonest differences (citeproc-js → ours):%s", sb.String())
	for _, d := range r.diffs[:min(*refsShow, len(r.diffs))] {
		t.Logf("%s (%s)\n  diff: %s\n  got:  %s\n  want: %s", d.id, d.typ, inlineDiff(d.got, d.want), d.got, d.want)
	}
}

// diffParts splits got and want into their common prefix, the differing
// middles and the common suffix.
func diffParts(got, want string) (prefix, wantMid, gotMid, suffix string) {
	g, w := []rune(got), []rune(want)
	p := 0
	for p < len(g) && p < len(w) && g[p] == w[p] {
		p++
	}
	s := 0
	for s < len(g)-p && s < len(w)-p && g[len(g)-1-s] == w[len(w)-1-s] {
		s++
	}
	return string(g[:p]), string(w[p : len(w)-s]), string(g[p : len(g)-s]), string(g[len(g)-s:])
}

// inlineDiff shows where got and want part: the common prefix and suffix,
// trimmed to some context, around [-"want"-]{+"got"+} (quoted, so that a
// missing space shows).
func inlineDiff(got, want string) string {
	pre, w, g, post := diffParts(got, want)
	const ctx = 30
	if r := []rune(pre); len(r) > ctx {
		pre = "…" + string(r[len(r)-ctx:])
	}
	if r := []rune(post); len(r) > ctx {
		post = string(r[:ctx]) + "…"
	}
	return fmt.Sprintf("%s[-%q-]{+%q+}%s", pre, w, g, post)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func showItem(t *testing.T, items []csl.Item, rs refStyle, mode, id string) {
	for _, it := range items {
		if it.ID == id {
			b, _ := json.MarshalIndent(it, "", " ")
			t.Logf("item %s:\n%s", id, b)
		}
	}
	ids, texts := render(t, newRefsProcessor(t, rs.file), items, mode)
	_, want := golden(t, rs.golden, mode)
	for i := range ids {
		if ids[i] == id {
			t.Logf("%s %s\n  got:  %s\n  want: %s\n  diff: %s", rs.golden, mode, texts[i], want[id], inlineDiff(texts[i], want[id]))
		}
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

const agreementFile = refsDir + "/agreement.txt"

// readAgreement reads lines "style mode agree total".
func readAgreement(t *testing.T) map[string][2]int {
	m := map[string][2]int{}
	f, err := os.Open(agreementFile)
	if os.IsNotExist(err) {
		return m
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 4 {
			t.Fatalf("%s:%d: want \"style mode agree total\", got %q", agreementFile, n, line)
		}
		a, err1 := strconv.Atoi(fs[2])
		b, err2 := strconv.Atoi(fs[3])
		if err1 != nil || err2 != nil || a > b {
			t.Fatalf("%s:%d: bad counts in %q", agreementFile, n, line)
		}
		m[fs[0]+" "+fs[1]] = [2]int{a, b}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func writeAgreement(t *testing.T, m map[string][2]int) {
	var sb strings.Builder
	sb.WriteString("# Entries that agree with citeproc-js, per style and mode: style mode agree total.\n")
	sb.WriteString("# go test ./csl -run TestRefs fails when agreement falls below these; -update rewrites them.\n")
	for _, rs := range refStyles {
		for _, mode := range refModes {
			if v, ok := m[rs.golden+" "+mode]; ok {
				fmt.Fprintf(&sb, "%s %s %d %d\n", rs.golden, mode, v[0], v[1])
			}
		}
	}
	if err := os.WriteFile(agreementFile, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// benchItems repeats the real references with distinct ids up to n items.
func benchItems(b *testing.B, n int) []csl.Item {
	items, err := refItems()
	if err != nil {
		b.Fatal(err)
	}
	out := make([]csl.Item, 0, n)
	for copyN := 0; len(out) < n; copyN++ {
		for _, it := range items {
			if len(out) == n {
				break
			}
			if copyN > 0 {
				it.ID = fmt.Sprintf("%s~%d", it.ID, copyN)
			}
			out = append(out, it)
		}
	}
	return out
}

// BenchmarkBibliography10k formats a bibliography of 10,000 real references.
func BenchmarkBibliography10k(b *testing.B) {
	items := benchItems(b, 10000)
	for _, style := range []string{"apa", "chicago-notes-bibliography"} {
		b.Run(style, func(b *testing.B) {
			p := newRefsProcessor(b, style)
			for b.Loop() {
				if _, err := p.Bibliography(items, csl.Text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCiteEach10k formats 10,000 single-item citations in one document.
func BenchmarkCiteEach10k(b *testing.B) {
	items := benchItems(b, 10000)
	for _, style := range []string{"apa", "chicago-notes-bibliography"} {
		b.Run(style, func(b *testing.B) {
			p := newRefsProcessor(b, style)
			for b.Loop() {
				if _, err := p.CiteEach(items, csl.Text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
