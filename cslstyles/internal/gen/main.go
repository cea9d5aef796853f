// Command gen builds the compressed archive of CSL styles and locales that
// package cslstyles embeds, from a checkout laid out like the upstream
// repositories (styles/*.csl, styles/dependent/*.csl,
// styles/renamed-styles.json, locales/locales-*.xml, locales/locales.json).
//
// Usage:
//
//	go run ./cslstyles/internal/gen -src /path/to/csl [-out cslstyles/data] [-check]
//
// The archive is a zip file holding index.tsv (one line per file: path,
// block, offset, size, id, title, parent) and blocks/NNNN, each the
// concatenation of many files. Compressing files together rather than one
// by one lets deflate reuse the boilerplate that styles share: the files
// (65 MB) take 5.9 MB this way against 15.4 MB as a zip of single files. A
// lookup decompresses at most one block.
//
// manifest.sha256 lists every packed file with its SHA-256 (sha256sum
// format), so that a test can tell when the archive and the manifest
// disagree, and -check can tell when the source has moved on.
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// blockSize is the uncompressed size at which a block is closed. Larger
// blocks compress a little better but cost more to read one style from.
const blockSize = 512 << 10

type file struct {
	path   string // archive path, e.g. styles/dependent/foo.csl
	data   []byte
	id     string
	title  string
	parent string
	group  string // files are packed in order of group, then path
}

func main() {
	src := flag.String("src", "", "directory holding styles/ and locales/ (required)")
	out := flag.String("out", "data", "output directory for csl.zip, manifest.sha256 and the licence files")
	check := flag.Bool("check", false, "only compare the source with the manifest in -out; exit 1 when they differ")
	flag.Parse()
	// An unset CSL_SRC in the go:generate line shifts "-out" into -src's
	// value and leaves a stray argument.
	if *src == "" || strings.HasPrefix(*src, "-") || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "gen: -src DIR is required (go generate: set CSL_SRC to a directory holding styles/ and locales/)")
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*src, *out, *check); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src, out string, check bool) error {
	files, err := collect(src)
	if err != nil {
		return err
	}
	manifest := manifestOf(files)
	if check {
		old, err := os.ReadFile(filepath.Join(out, "manifest.sha256"))
		if err != nil {
			return err
		}
		if !bytes.Equal(old, manifest) {
			return fmt.Errorf("%s/manifest.sha256 differs from %s: regenerate with go generate ./cslstyles", out, src)
		}
		fmt.Printf("manifest matches %s (%d files)\n", src, len(files))
		return nil
	}
	archive, err := pack(files)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "csl.zip"), archive, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "manifest.sha256"), manifest, 0o644); err != nil {
		return err
	}
	// The licences require the statements to travel with the files.
	for from, to := range map[string]string{"styles/README.md": "STYLES-README.md", "locales/README.md": "LOCALES-README.md"} {
		b, err := os.ReadFile(filepath.Join(src, from))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, to), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("packed %d files into %s/csl.zip (%d bytes)\n", len(files), out, len(archive))
	return nil
}

func collect(src string) ([]file, error) {
	var files []file
	add := func(dir, pattern, group string, info bool) error {
		paths, err := filepath.Glob(filepath.Join(src, dir, pattern))
		if err != nil {
			return err
		}
		if len(paths) == 0 {
			return fmt.Errorf("no %s in %s", pattern, filepath.Join(src, dir))
		}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			f := file{path: dir + "/" + filepath.Base(p), data: b, group: group}
			if info {
				f.id = strings.TrimSuffix(filepath.Base(p), ".csl")
				f.title, f.parent, err = styleInfo(b)
				if err != nil {
					return fmt.Errorf("%s: %w", p, err)
				}
				if group == "3dependent" {
					if f.parent == "" {
						return fmt.Errorf("%s: dependent style without an independent-parent link", p)
					}
					// Dependent styles of one parent are near copies of each
					// other; packing them together compresses best.
					f.group += "/" + f.parent
				} else if f.parent != "" {
					return fmt.Errorf("%s: independent style with an independent-parent link", p)
				}
			}
			files = append(files, f)
		}
		return nil
	}
	steps := []struct {
		dir, pattern, group string
		info                bool
	}{
		{"locales", "locales-*.xml", "0locale", false},
		{"locales", "locales.json", "1meta", false},
		{"styles", "renamed-styles.json", "1meta", false},
		{"styles", "*.csl", "2independent", true},
		{"styles/dependent", "*.csl", "3dependent", true},
	}
	for _, s := range steps {
		if err := add(s.dir, s.pattern, s.group, s.info); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(files, func(i, j int) bool {
		if files[i].group != files[j].group {
			return files[i].group < files[j].group
		}
		// Styles made from one template differ mostly in <info>; sorting by
		// what follows it puts near copies within deflate's 32 KB window
		// (6.4 MB → 5.9 MB).
		if files[i].group == "2independent" {
			bi, bj := body(files[i].data), body(files[j].data)
			if bi != bj {
				return bi < bj
			}
		}
		return files[i].path < files[j].path
	})
	return files, nil
}

// styleInfo reads the title and the independent parent's id from a style's
// <info> block, stopping there so that the generator stays quick.
func styleInfo(data []byte) (title, parent string, err error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var path []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", "", fmt.Errorf("reading <info>: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			if len(path) == 3 && path[1] == "info" && t.Name.Local == "link" {
				var href, rel string
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "href":
						href = a.Value
					case "rel":
						rel = a.Value
					}
				}
				if rel == "independent-parent" {
					parent = href[strings.LastIndexByte(href, '/')+1:]
				}
			}
			if len(path) == 3 && path[1] == "info" && t.Name.Local == "title" {
				var s string
				if err := d.DecodeElement(&s, &t); err != nil {
					return "", "", fmt.Errorf("reading <title>: %w", err)
				}
				title = strings.Join(strings.Fields(s), " ")
				path = path[:len(path)-1]
			}
		case xml.EndElement:
			if len(path) == 2 && path[1] == "info" {
				if title == "" {
					return "", "", errors.New("<info> has no <title>")
				}
				return title, parent, nil
			}
			path = path[:len(path)-1]
		}
	}
	return "", "", errors.New("no <info> element")
}

func manifestOf(files []file) []byte {
	sorted := append([]file(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].path < sorted[j].path })
	var b bytes.Buffer
	for _, f := range sorted {
		sum := sha256.Sum256(f.data)
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), f.path)
	}
	return b.Bytes()
}

func pack(files []file) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	// Index lines are written sorted by style id (other files first), so
	// that the reader need not sort them.
	type line struct{ id, text string }
	var lines []line
	var block bytes.Buffer
	n := 0
	flush := func() error {
		if block.Len() == 0 {
			return nil
		}
		if err := writeEntry(zw, fmt.Sprintf("blocks/%04d", n), block.Bytes()); err != nil {
			return err
		}
		n++
		block.Reset()
		return nil
	}
	prevGroup := ""
	for _, f := range files {
		// Locales, metadata and styles never share a block: asking for a
		// locale should not decompress styles.
		if block.Len() >= blockSize || (prevGroup != "" && f.group[:1] != prevGroup[:1]) {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		prevGroup = f.group
		for _, s := range []string{f.path, f.id, f.title, f.parent} {
			if strings.ContainsAny(s, "\t\n") {
				return nil, fmt.Errorf("%s: tab or newline in %q", f.path, s)
			}
		}
		lines = append(lines, line{f.id, fmt.Sprintf("%s\t%d\t%d\t%d\t%s\t%s\t%s\n", f.path, n, block.Len(), len(f.data), f.id, f.title, f.parent)})
		block.Write(f.data)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].id < lines[j].id })
	var index strings.Builder
	index.WriteString("# path\tblock\toffset\tsize\tid\ttitle\tparent\n")
	for _, l := range lines {
		index.WriteString(l.text)
	}
	if err := writeEntry(zw, "index.tsv", []byte(index.String())); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeEntry(zw *zip.Writer, name string, data []byte) error {
	// A zero modification time keeps the archive byte-for-byte reproducible.
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// body returns a style from its </info> on.
func body(b []byte) string {
	if i := bytes.Index(b, []byte("</info>")); i >= 0 {
		return string(b[i:])
	}
	return string(b)
}
