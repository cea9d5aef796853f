// Package interop checks that the files Imprint exports are read back by
// other tools — pandoc and citation-js — with the fields that matter for a
// citation intact. The package holds only this test.
package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/imprintpub/imprint/bib/bibtex"
	"github.com/imprintpub/imprint/bib/csljson"
	"github.com/imprintpub/imprint/bib/ris"
	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlite"
)

var examples = flag.Int("examples", 5, "differences to show per tool and format")

// requireTools makes a missing pandoc or citation-js a failure rather than
// a skip, for the machines whose job is to run this check.
var requireTools = os.Getenv("IMPRINT_REQUIRE_INTEROP") == "1"

// comparedFields are the fields the check is about (issue 4): what a
// citation is built from.
var comparedFields = []string{"type", "title", "author", "editor", "issued", "container-title", "volume", "issue", "page", "DOI", "URL"}

// formats are our export formats, each with its writer. The BibTeX
// flavours protect the capitals of titles (ProtectCase), without which
// pandoc sets them in sentence case: 1 of the 35 demo items and 19 (BibTeX)
// and 40 (BibLaTeX) of the 90 examples come back from pandoc intact.
var formats = []struct {
	name  string
	write func(*bytes.Buffer, []csl.Item) error
}{
	{"bibtex", func(b *bytes.Buffer, items []csl.Item) error {
		return bibtex.Write(b, items, &bibtex.WriteOptions{Flavor: bibtex.BibTeX, ProtectCase: true})
	}},
	{"biblatex", func(b *bytes.Buffer, items []csl.Item) error {
		return bibtex.Write(b, items, &bibtex.WriteOptions{Flavor: bibtex.BibLaTeX, ProtectCase: true})
	}},
	{"ris", func(b *bytes.Buffer, items []csl.Item) error { return ris.Write(b, items) }},
	{"csljson", func(b *bytes.Buffer, items []csl.Item) error { return csljson.Write(b, items) }},
}

// readOurs reads an exported file with our own reader, whose types are the
// ones the format can carry (BibTeX's @misc stands for a dozen CSL types).
func readOurs(ctx context.Context, format string, data []byte) ([]csl.Item, error) {
	r := bytes.NewReader(data)
	switch format {
	case "bibtex", "biblatex":
		return bibtex.Parse(ctx, r, nil)
	case "ris":
		return ris.Parse(ctx, r, nil)
	}
	return csljson.Parse(ctx, r, nil)
}

// tool reads a file in one of our formats and returns its items as
// CSL-JSON, or reports that it does not read that format.
type tool struct {
	name  string
	reads func(format string) bool
	read  func(ctx context.Context, format, path string) ([]byte, error)
	// write writes a CSL-JSON file in format with the tool's own writer;
	// nil for the formats it cannot write.
	write func(ctx context.Context, format, path string) ([]byte, error)
}

func pandocTool(t *testing.T) *tool {
	path, err := exec.LookPath("pandoc")
	if err != nil {
		missingTool(t, "pandoc is not installed (apt-get install pandoc)")
		return nil
	}
	return &tool{
		name: "pandoc",
		// pandoc 2.17 has no RIS reader (it came with 3.1.4).
		reads: func(format string) bool { return format != "ris" || pandocReadsRIS(path) },
		read: func(ctx context.Context, format, file string) ([]byte, error) {
			return run(ctx, path, "--from", format, "--to", "csljson", file)
		},
		write: func(ctx context.Context, format, file string) ([]byte, error) {
			return run(ctx, path, "--from", "csljson", "--to", format, file)
		},
	}
}

func pandocReadsRIS(path string) bool {
	out, err := exec.Command(path, "--list-input-formats").Output()
	return err == nil && bytes.Contains(out, []byte("\nris\n"))
}

func citationJSTool(t *testing.T) *tool {
	node, err := exec.LookPath("node")
	dir, _ := filepath.Abs(filepath.Join("testdata", "citationjs"))
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "@citation-js", "core"))
	}
	if err != nil {
		missingTool(t, "citation-js is not installed (cd bib/interop/testdata/citationjs && npm ci)")
		return nil
	}
	return &tool{
		name:  "citation-js",
		reads: func(string) bool { return true },
		read: func(ctx context.Context, format, file string) ([]byte, error) {
			return run(ctx, node, filepath.Join(dir, "read.js"), format, file)
		},
		write: func(ctx context.Context, format, file string) ([]byte, error) {
			return run(ctx, node, filepath.Join(dir, "write.js"), format, file)
		},
	}
}

func missingTool(t *testing.T, msg string) {
	t.Helper()
	if requireTools {
		t.Fatal(msg)
	}
	t.Log("not checked: " + msg)
}

func run(ctx context.Context, name string, args ...string) ([]byte, error) {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w: %s", filepath.Base(name), strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// sources are the item sets exported: the demo content as the site
// exports it, and biblatex's own example database.
func sources(t *testing.T) map[string][]csl.Item {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatalf("loading the demo content: %v", err)
	}
	var demoItems []csl.Item
	q := store.PublicationQuery{Subtree: true, Limit: store.MaxLimit}
	for {
		page, err := st.ListPublications(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for i := range page.Items {
			demoItems = append(demoItems, page.Items[i].CSL())
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	const examplesFile = "../bibtex/testdata/biblatex/biblatex-examples.bib"
	f, err := os.Open(examplesFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	exItems, err := bibtex.Parse(ctx, f, &bibtex.Options{File: examplesFile})
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]csl.Item{"demo": demoItems, "biblatex-examples": exItems}
}

// TestReadBack exports the demo content and biblatex-examples.bib in every
// format, has pandoc and citation-js read each file, and compares the
// compared fields of every item with the item exported. It fails on any
// difference that knownDifference does not explain, and on any it blames
// on a tool's mapping that the tool's own export of the record does not
// show; -v prints the table.
func TestReadBack(t *testing.T) {
	var tools []*tool
	for _, tl := range []*tool{pandocTool(t), citationJSTool(t)} {
		if tl != nil {
			tools = append(tools, tl)
		}
	}
	if len(tools) == 0 {
		t.Skip("neither pandoc nor citation-js is installed")
	}
	srcs := sources(t)
	dir := t.TempDir()
	var table []string
	for _, srcName := range []string{"demo", "biblatex-examples"} {
		items := srcs[srcName]
		if len(items) == 0 {
			t.Fatalf("%s: no items", srcName)
		}
		for _, f := range formats {
			var buf bytes.Buffer
			if err := f.write(&buf, items); err != nil {
				t.Fatalf("%s as %s: %v", srcName, f.name, err)
			}
			path := filepath.Join(dir, srcName+"."+f.name)
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, tl := range tools {
				if !tl.reads(f.name) {
					table = append(table, fmt.Sprintf("%-18s %-9s %-12s not read by this version", srcName, f.name, tl.name))
					continue
				}
				t.Run(srcName+"/"+f.name+"/"+tl.name, func(t *testing.T) {
					ours, err := readOurs(t.Context(), f.name, buf.Bytes())
					if err != nil || len(ours) != len(items) {
						t.Fatalf("our own reader: %d items, %v", len(ours), err)
					}
					n := compareTool(t, tl, f.name, path, items, ours)
					table = append(table, fmt.Sprintf("%-18s %-9s %-12s %3d of %3d intact; %3d lost as in %s's own export; %3d read otherwise than the format documents",
						srcName, f.name, tl.name, n.intact, len(items), n.ownLoss, tl.name, n.misread))
				})
			}
		}
	}
	t.Log("read back with the compared fields intact:\n" + strings.Join(table, "\n"))
}

// counts are how the items of one file came back from one tool: intact,
// or differing only in known ways, the worst of an item's differences
// counted (a misreading outweighs a loss the tool's own export shares).
type counts struct{ intact, ownLoss, misread int }

// compareTool reads one exported file with one tool and counts how the
// items came back. A known difference of the kind ownLoss must also be
// what the tool gives back for its own export of the same record: a
// tool that keeps a field through its own writer must keep it through
// ours.
func compareTool(t *testing.T, tl *tool, format, path string, items, ours []csl.Item) counts {
	out, err := tl.read(t.Context(), format, path)
	if err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatalf("%s's CSL-JSON: %v", tl.name, err)
	}
	if len(back) != len(items) {
		t.Fatalf("%s read %d items from %s, want %d", tl.name, len(back), filepath.Base(path), len(items))
	}
	own := ownTrip(t, tl, format, items, filepath.Dir(path))
	var n counts
	shown := 0
	for i := range items {
		want := exported(&items[i])
		want["type"] = ours[i].Type
		worst := 0 // 0 intact, 1 own loss, 2 misread, 3 unexplained
		for _, field := range comparedFields {
			w, g := norm(want, field, format), norm(back[i], field, format)
			if w == g {
				continue
			}
			k := knownDifference(tl.name, format, field, &items[i], w, g)
			switch {
			case k.why == "":
				worst = 3
				if shown < *examples {
					shown++
					t.Errorf("%s %s: exported %q, read back %q", items[i].ID, field, w, g)
				}
				continue
			case k.ownLoss:
				if own == nil {
					t.Errorf("%s %s: %s: %s writes no %s to confirm it", items[i].ID, field, k.why, tl.name, format)
					worst = 3
					continue
				}
				if o := norm(own[i], field, format); o != g {
					t.Errorf("%s %s: %s: but %s's own export of it comes back %q, not %q: the difference is ours",
						items[i].ID, field, k.why, tl.name, o, g)
					worst = 3
					continue
				}
				worst = max(worst, 1)
			default:
				worst = max(worst, 2)
			}
			t.Logf("known: %s %s: %s (exported %q, read back %q)", items[i].ID, field, k.why, w, g)
		}
		switch worst {
		case 0:
			n.intact++
		case 1:
			n.ownLoss++
		case 2:
			n.misread++
		}
	}
	if bad := len(items) - n.intact - n.ownLoss - n.misread; bad > 0 {
		t.Errorf("%d of %d items changed", bad, len(items))
	}
	return n
}

// ownTrip has the tool write items in format with its own writer, from
// their CSL-JSON (which both tools read back intact), and read that file
// back: what the tool itself keeps of these records through the format.
// nil when the tool does not write the format.
func ownTrip(t *testing.T, tl *tool, format string, items []csl.Item, dir string) []map[string]any {
	t.Helper()
	if tl.write == nil || format == "csljson" {
		return nil
	}
	var buf bytes.Buffer
	if err := csljson.Write(&buf, items); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, tl.name+"-own-"+format+".json")
	if err := os.WriteFile(src, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := tl.write(t.Context(), format, src)
	if err != nil {
		t.Fatal(err)
	}
	written := filepath.Join(dir, tl.name+"-own."+format)
	if err := os.WriteFile(written, out, 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := tl.read(t.Context(), format, written)
	if err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("%s's CSL-JSON of its own %s: %v", tl.name, format, err)
	}
	if len(back) != len(items) {
		t.Fatalf("%s read %d items from its own %s, want %d", tl.name, len(back), format, len(items))
	}
	return back
}

// exported is the item as CSL-JSON, the form the tools give back.
func exported(it *csl.Item) map[string]any {
	var buf bytes.Buffer
	if err := csljson.Write(&buf, []csl.Item{*it}); err != nil {
		panic(err) // the writer already wrote this item once
	}
	var m []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil || len(m) != 1 {
		panic(fmt.Sprintf("our own CSL-JSON of %q does not decode: %v", it.ID, err))
	}
	return m[0]
}

// norm renders one field of a CSL-JSON item in a form that ignores only
// presentation: rich-text markup (nocase spans included: the braces our
// BibTeX writer puts around capitals come back as such spans), blank runs,
// number versus string, the dash in page ranges and the apostrophe's shape.
// Case is compared: pandoc sets unprotected English titles in sentence
// case, and an exported "The Philippines" must not come back as "The
// philippines".
//
// The apostrophe: pandoc's readers (all of them, CSL-JSON too: its smart
// extension) turn ' into ’. That is what a CSL processor prints for '
// anyway — `imprint cite` and citeproc-js (bench/cite.sh) both print
// "O’Meara, D. (2000). Goethe’s idea." for "O'Meara" and "Goethe's" — so
// writing ’ ourselves would change the record for no reader's benefit.
func norm(m map[string]any, field, format string) string {
	v := m[field]
	switch field {
	case "type":
		s, _ := v.(string)
		return s
	case "author", "editor":
		names, _ := v.([]any)
		var parts []string
		for _, n := range names {
			nm, _ := n.(map[string]any)
			str := func(k string) string { s, _ := nm[k].(string); return s }
			fam := strings.Join(strings.Fields(str("dropping-particle")+" "+str("non-dropping-particle")+" "+str("family")), " ")
			parts = append(parts, apos(fam)+"|"+apos(str("given"))+"|"+apos(str("suffix"))+"|"+apos(str("literal")))
		}
		return strings.Join(parts, "; ")
	case "issued":
		d, _ := v.(map[string]any)
		if dp, ok := d["date-parts"].([]any); ok && len(dp) > 0 {
			if first, ok := dp[0].([]any); ok && len(first) > 0 {
				return scalar(first[0])
			}
		}
		if l, ok := d["literal"].(string); ok {
			return text(l)
		}
		return ""
	case "page":
		return strings.NewReplacer("–", "-", "—", "-", " ", "").Replace(scalar(v))
	case "title", "container-title":
		return strings.ReplaceAll(text(scalar(v)), "’", "'")
	}
	return text(scalar(v))
}

func apos(s string) string { return strings.ReplaceAll(text(s), "’", "'") }

func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// text drops CSL rich-text markup and folds blanks.
func text(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		if s[0] == '<' {
			if end := strings.IndexByte(s, '>'); end > 0 && isTag(s[1:end]) {
				s = s[end+1:]
				continue
			}
		}
		b.WriteByte(s[0])
		s = s[1:]
	}
	return strings.Join(strings.FieldsFunc(b.String(), func(r rune) bool { return unicode.IsSpace(r) }), " ")
}

func isTag(s string) bool {
	s = strings.TrimPrefix(s, "/")
	for _, t := range []string{"i", "b", "sup", "sub", "span"} {
		if s == t || strings.HasPrefix(s, t+" ") {
			return true
		}
	}
	return false
}

// known is a difference that is the other tool's doing. ownLoss: the tool
// loses the field through its own writer too (compareTool checks that it
// does, for this very record). Otherwise the tool reads our record
// against the format's documentation, which why cites.
type known struct {
	why     string
	ownLoss bool
}

// knownDifference explains a difference that is the other tool's doing,
// with the evidence in the reason; a zero known means the difference is
// ours to fix.
func knownDifference(tool, format, field string, it *csl.Item, ours, theirs string) known {
	v := func(name string) string { return strings.ReplaceAll(text(it.Vars[name]), "’", "'") }
	bibtexLike := format == "bibtex" || format == "biblatex"
	lost := func(why string) known { return known{why: why, ownLoss: true} }
	misread := func(why string) known { return known{why: why} }
	switch {
	case tool == "pandoc" && bibtexLike && field == "type" && theirs == "" && ours == "document":
		return lost("pandoc 2.17 leaves @misc untyped (\"type\": \"\"), our reader makes it a document")
	case tool == "pandoc" && bibtexLike && it.Type == "periodical" && field == "issue":
		return lost("pandoc 2.17 drops the number of a whole issue of a periodical")
	case tool == "pandoc" && format == "biblatex" && it.Type == "periodical" && (field == "type" || field == "container-title"):
		// biblatex manual 2.1.1: @periodical is "an entire issue of a
		// periodical", its title the periodical's.
		return misread("pandoc 2.17 reads a @periodical as an article in it")
	case tool == "pandoc" && bibtexLike && field == "URL" && ours == "" && strings.EqualFold(it.Vars["archive"], "arxiv"):
		// The record gains a URL: pandoc makes one of the arXiv eprint.
		return misread("pandoc 2.17 adds an arxiv.org URL for an arXiv eprint")
	case tool == "citation-js" && format == "biblatex" && field == "type" &&
		(ours == "article-magazine" || ours == "article-newspaper") && theirs == "article-journal":
		// plugin-bibtex 0.8.2 lib/mapping/biblatex.js: the entrysubtype
		// becomes the genre, never the type.
		return lost("citation-js reads @article as article-journal whatever its entrysubtype")
	case tool == "citation-js" && bibtexLike && v("volume-title") != "" &&
		(field == "title" && theirs == v("volume-title") || field == "container-title" && (theirs == v("title") || theirs == v("volume-title"))):
		// biblatex manual 2.2.2: in a volume of a multi-volume work, title
		// is the volume's and maintitle the work's (CSL 1.0.2's title and
		// volume-title); BibTeX has only title and series. citation-js
		// 0.8.2 reads title as the title and maintitle as the container;
		// its own writer puts the work in title and the volume in
		// issuetitle, which biblatex prints as an issue of a journal.
		return misread("citation-js reads a volume of a multi-volume work as a part of a container")
	case tool == "citation-js" && format == "bibtex" && field == "container-title" && theirs == "" && it.Type == "broadcast":
		// plugin-bibtex 0.8.2 lib/mapping/bibtex.js maps journal to
		// container-title for @article only, and writes none for a
		// broadcast.
		return lost("citation-js reads journal only in an @article")
	case tool == "citation-js" && format == "biblatex" && field == "container-title" && theirs == "" && it.Type == "broadcast":
		// The programme is journaltitle, which pandoc reads in a @misc;
		// citation-js reads journaltitle in an @article only, and
		// booktitle, which pandoc ignores in a @misc.
		return misread("citation-js reads journaltitle only in an @article")
	case tool == "citation-js" && format == "bibtex" && it.Type == "periodical" && field == "issue":
		return lost("citation-js drops the number of a @misc (our BibTeX flavour's periodical)")
	case tool == "citation-js" && format == "ris" && field == "page" && ours == "" && theirs == strings.ReplaceAll(it.Vars["number-of-pages"], " ", ""):
		// The RIS specification gives BOOK's SP as the number of pages.
		return lost("citation-js reads a BOOK record's SP (number of pages) as a page range")
	case tool == "citation-js" && format == "ris" && field == "container-title" && theirs == "" && it.Type == "book":
		// plugin-ris 0.8.2 lib/spec/new.json maps T2 to container-title
		// for a list of types that leaves out BOOK.
		return lost("citation-js drops a BOOK record's T2")
	case tool == "citation-js" && format == "ris" && field == "container-title" && theirs == "" && it.Type == "paper-conference":
		// We write the proceedings' title as T2 and C3;
		// plugin-ris 0.8.2 lib/spec/new.json reads a CPAPER's T2 as the
		// event and its C3 not at all (C3 is container-title for CONF,
		// the RIS type of a whole proceedings, which its writer gives a
		// paper).
		return misread("citation-js reads neither T2 nor C3 of a CPAPER record as its container")
	case tool == "citation-js" && format == "ris" && it.Type == "periodical" && field == "type" && theirs == "article-journal":
		return misread("citation-js reads JFULL (a whole journal) as an article")
	case tool == "citation-js" && format == "ris" && field == "author" && theirs == "" && it.Type == "article-newspaper":
		// plugin-ris 0.8.2 lib/spec/new.json maps a NEWS record's AU to
		// "reporter", which is no CSL variable, and A1 to nothing.
		return lost("citation-js drops the authors of a NEWS record")
	case tool == "citation-js" && format == "ris" && it.Type == "broadcast" && (field == "type" || field == "author" || field == "container-title"):
		// RIS has no broadcast type: MPCT, whose AU is the director and T2
		// the series in citation-js's spec.
		return lost("citation-js reads an MPCT record's programme as collection-title and its AU as director")
	}
	return known{}
}
