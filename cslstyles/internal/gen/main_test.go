package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func style(title, parent string) string {
	link := ""
	if parent != "" {
		link = `<link href="http://www.zotero.org/styles/` + parent + `" rel="independent-parent"/>`
	}
	return `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">
  <info>
    <title>` + title + `</title>
    ` + link + `
  </info>
</style>
`
}

func source(t *testing.T) string {
	return writeTree(t, map[string]string{
		"styles/README.md":               "styles licence",
		"styles/renamed-styles.json":     `{"old": "alpha"}`,
		"styles/alpha.csl":               style("Alpha &amp; Co\n   Style", ""),
		"styles/beta.csl":                style("Beta", ""),
		"styles/dependent/gamma.csl":     style("Gamma Journal", "alpha"),
		"locales/README.md":              "locales licence",
		"locales/locales.json":           `{}`,
		"locales/locales-en-US.xml":      `<locale xml:lang="en-US"/>`,
		"locales/locales-sr-Latn-RS.xml": `<locale xml:lang="sr-Latn-RS"/>`,
	})
}

func TestPackRoundTrip(t *testing.T) {
	src := source(t)
	out := t.TempDir()
	if err := run(src, out, false); err != nil {
		t.Fatal(err)
	}
	archive, err := os.ReadFile(filepath.Join(out, "csl.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		entries[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	lines := strings.Split(strings.TrimSpace(string(entries["index.tsv"])), "\n")[1:]
	if len(lines) != 7 {
		t.Fatalf("index has %d lines, want 7:\n%s", len(lines), entries["index.tsv"])
	}
	want := map[string][3]string{ // path → id, title, parent
		"styles/alpha.csl":           {"alpha", "Alpha & Co Style", ""},
		"styles/beta.csl":            {"beta", "Beta", ""},
		"styles/dependent/gamma.csl": {"gamma", "Gamma Journal", "alpha"},
	}
	for _, line := range lines {
		f := strings.Split(line, "\t")
		block, _ := strconv.Atoi(f[1])
		off, _ := strconv.Atoi(f[2])
		size, _ := strconv.Atoi(f[3])
		data := entries["blocks/"+leftPad(block)]
		orig, err := os.ReadFile(filepath.Join(src, f[0]))
		if err != nil {
			t.Fatalf("index names %s: %v", f[0], err)
		}
		if off+size > len(data) || !bytes.Equal(data[off:off+size], orig) {
			t.Errorf("%s: packed bytes differ from the source", f[0])
		}
		if w, ok := want[f[0]]; ok && (f[4] != w[0] || f[5] != w[1] || f[6] != w[2]) {
			t.Errorf("%s: indexed as %q, want %q", f[0], f[4:], w)
		}
	}
	// Locales never share a block with styles.
	if bytes.Contains(entries["blocks/0000"], []byte("<style")) {
		t.Error("the locale block holds styles")
	}
	for _, name := range []string{"STYLES-README.md", "LOCALES-README.md", "manifest.sha256"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}

	// Generating again gives the same bytes, and -check accepts the source.
	out2 := t.TempDir()
	if err := run(src, out2, false); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(out2, "csl.zip"))
	if !bytes.Equal(archive, again) {
		t.Error("the archive is not reproducible")
	}
	if err := run(src, out, true); err != nil {
		t.Errorf("-check on an unchanged source: %v", err)
	}
	os.WriteFile(filepath.Join(src, "styles", "beta.csl"), []byte(style("Beta 2", "")), 0o644)
	if err := run(src, out, true); err == nil {
		t.Error("-check accepted a changed source")
	}
}

func leftPad(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", 4-len(s)) + s
}

func TestRejectsBadSources(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"dependent without parent": {"styles/dependent/x.csl": style("X", "")},
		"independent with parent":  {"styles/y.csl": style("Y", "alpha")},
		"style without title":      {"styles/z.csl": `<style xmlns="http://purl.org/net/xbiblio/csl"><info></info></style>`},
		"malformed style":          {"styles/w.csl": `<style><info><title>W</info></style>`},
	} {
		t.Run(name, func(t *testing.T) {
			src := source(t)
			for p, c := range files {
				os.MkdirAll(filepath.Dir(filepath.Join(src, p)), 0o755)
				os.WriteFile(filepath.Join(src, p), []byte(c), 0o644)
			}
			err := run(src, t.TempDir(), false)
			if err == nil {
				t.Fatal("accepted")
			}
			for p := range files {
				if !strings.Contains(err.Error(), filepath.Base(p)) {
					t.Errorf("error %q does not name %s", err, p)
				}
			}
		})
	}
}
