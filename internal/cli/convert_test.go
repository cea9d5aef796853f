package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/bib/csljson"
)

const convertBib = `@string{jcc = {Journal of Computational Chemistry}}
@article{sigfridsson,
  author = {Sigfridsson, Emma and Ryde, Ulf},
  title = {Comparison of Methods for Deriving Atomic Charges from the {Electrostatic} Potential},
  journaltitle = jcc,
  volume = 19, number = 4, pages = {377--395}, date = {1998-03},
  doi = {10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P},
}
@book{vangennep, author = {van Gennep, Arnold}, title = {Les rites de passage},
  location = {Paris}, publisher = {Nourry}, year = 1909}
`

// TestConvertChain converts BibTeX to every format and on to the next, and
// checks that the fields every format carries survive the whole chain.
func TestConvertChain(t *testing.T) {
	input := convertBib
	for _, to := range []string{"ris", "csljson", "bibtex", "biblatex", "csljson"} {
		code, out, errOut := run(t, input, "convert", "--to", to)
		if code != 0 {
			t.Fatalf("--to %s: exit %d: %s", to, code, errOut)
		}
		input = out
	}
	items, err := csljson.Parse(context.Background(), strings.NewReader(input), nil)
	if err != nil {
		t.Fatalf("final CSL-JSON: %v\n%s", err, input)
	}
	if len(items) != 2 {
		t.Fatalf("got %d items", len(items))
	}
	a := items[0]
	for k, want := range map[string]string{"container-title": "Journal of Computational Chemistry", "volume": "19",
		"issue": "4", "page": "377-395", "DOI": "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P"} {
		if a.Vars[k] != want {
			t.Errorf("%s = %q, want %q", k, a.Vars[k], want)
		}
	}
	// The BibTeX legs brace capitals so that readers keep their case; they
	// come back as nocase spans around the same words.
	title := strings.NewReplacer(`<span class="nocase">`, "", "</span>", "").Replace(a.Vars["title"])
	if !strings.HasPrefix(title, "Comparison of Methods") || a.Type != "article-journal" {
		t.Errorf("title %q, type %q", a.Vars["title"], a.Type)
	}
	if d := a.Dates["issued"]; len(d.Parts) != 1 || d.Parts[0][0] != 1998 || d.Parts[0][1] != 3 {
		t.Errorf("issued = %+v", d)
	}
	if n := items[1].Names["author"]; len(n) != 1 || n[0].Family != "Gennep" || n[0].NonDroppingParticle != "van" {
		t.Errorf("author = %+v", n)
	}
}

func TestConvertOutputs(t *testing.T) {
	tests := []struct{ to, want string }{
		{"bibtex", `author = {Sigfridsson, Emma and Ryde, Ulf}`},
		{"bibtex", `journal = {Journal of Computational Chemistry}`},
		{"bibtex", "month = mar,"},
		{"biblatex", "date = {1998-03}"},
		{"biblatex", "journaltitle = {Journal of Computational Chemistry}"},
		{"ris", "TY  - JOUR\r\n"},
		{"ris", "AU  - van Gennep, Arnold\r\n"},
		{"csljson", `"non-dropping-particle": "van"`},
	}
	for _, tc := range tests {
		code, out, errOut := run(t, convertBib, "convert", "--to", tc.to, "-")
		if code != 0 {
			t.Fatalf("--to %s: exit %d: %s", tc.to, code, errOut)
		}
		if !strings.Contains(out, tc.want) {
			t.Errorf("--to %s output lacks %q:\n%s", tc.to, tc.want, out)
		}
	}
}

func TestConvertErrors(t *testing.T) {
	bad := "@book{ok, title = {Fine}}\n@book{broken, title = {Bad}, date = {2001-13}}\n"
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		out, errOut string
	}{
		{"no --to", convertBib, []string{"convert"}, 2, "", `--to "": want bibtex`},
		{"bad --from", convertBib, []string{"convert", "--from", "xml", "--to", "ris"}, 2, "", `--from "xml"`},
		{"two files", "", []string{"convert", "--to", "ris", "a", "b"}, 2, "", "one input file expected"},
		{"invalid entry fails whole file", bad, []string{"convert", "--to", "ris"}, 1, "",
			`standard input:2:30: entry "broken": field "date": "2001-13": month 13 out of range`},
		{"skip invalid", bad, []string{"convert", "--to", "ris", "--skip-invalid"}, 0, "TI  - Fine",
			`skipped: standard input:2:30: entry "broken"`},
		{"undetectable", "hello", []string{"convert", "--to", "ris"}, 1, "", "cannot tell the format"},
		{"wrong --from", convertBib, []string{"convert", "--from", "ris", "--to", "csljson"}, 0, "[]", ""},
		{"missing file", "", []string{"convert", "--to", "ris", "/nonexistent/refs.bib"}, 1, "", "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, errOut)
			}
			if !strings.Contains(out, tc.out) {
				t.Errorf("stdout %q lacks %q", out, tc.out)
			}
			if !strings.Contains(errOut, tc.errOut) {
				t.Errorf("stderr %q lacks %q", errOut, tc.errOut)
			}
			if tc.code == 1 && out != "" {
				t.Errorf("a failed conversion wrote %q", out)
			}
		})
	}
}
