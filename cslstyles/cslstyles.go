// Package cslstyles bundles the official Citation Style Language styles
// (independent and dependent) and locales, compressed into the binary, and
// looks them up by id. It holds data only: parsing and formatting belong to
// package csl, which takes Style and Locale as its loaders.
//
// Nothing is decompressed until it is asked for: the first lookup reads the
// archive's index (ids, titles, parents), and each Style or Locale call
// decompresses only the part of the archive that holds the file.
package cslstyles

//go:generate go run ./internal/gen -src ${CSL_SRC} -out data

import (
	"archive/zip"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// archive is built by internal/gen; see its documentation for the layout.
//
//go:embed data/csl.zip
var archive string

// ErrNotFound is returned, wrapped with the id or tag asked for, when no
// bundled style or locale matches.
var ErrNotFound = errors.New("not found")

// StyleInfo describes one bundled style.
type StyleInfo struct {
	ID        string // file name without .csl, e.g. "apa"
	Title     string // the style's <info><title>
	Dependent bool   // true for a dependent style, which only names a parent
	Parent    string // id of the independent parent of a dependent style
}

// entry locates one file inside the archive.
type entry struct {
	block, offset, size int
}

type bundle struct {
	blocks  map[int]*zip.File
	files   map[string]entry // by archive path
	styles  map[string]int   // id → index in list
	list    []StyleInfo      // sorted by id
	locales map[string]string
}

var load = sync.OnceValues(func() (*bundle, error) {
	b, err := readBundle(archive)
	if err != nil {
		return nil, fmt.Errorf("cslstyles: embedded archive: %w", err)
	}
	return b, nil
})

func readBundle(data string) (*bundle, error) {
	zr, err := zip.NewReader(strings.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	b := &bundle{blocks: map[int]*zip.File{}, files: map[string]entry{}, styles: map[string]int{}, locales: map[string]string{}}
	var index *zip.File
	for _, f := range zr.File {
		if f.Name == "index.tsv" {
			index = f
			continue
		}
		if n, ok := strings.CutPrefix(f.Name, "blocks/"); ok {
			i, err := strconv.Atoi(n)
			if err != nil {
				return nil, fmt.Errorf("bad block name %q", f.Name)
			}
			b.blocks[i] = f
		}
	}
	if index == nil {
		return nil, errors.New("no index.tsv")
	}
	r, err := index.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	raw := make([]byte, index.UncompressedSize64)
	_, err = io.ReadFull(r, raw)
	if err != nil {
		return nil, fmt.Errorf("index.tsv: %w", err)
	}
	rest := string(raw)
	b.files = make(map[string]entry, strings.Count(rest, "\n"))
	b.styles = make(map[string]int, len(b.files))
	for n := 1; rest != ""; n++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if strings.HasPrefix(line, "#") {
			continue
		}
		var f [7]string
		for i := range f {
			var ok bool
			f[i], line, ok = strings.Cut(line, "\t")
			if !ok && i < len(f)-1 {
				return nil, fmt.Errorf("index.tsv line %d: %d fields, want 7", n, i+1)
			}
		}
		var e entry
		for j, p := range []*int{&e.block, &e.offset, &e.size} {
			if *p, err = strconv.Atoi(f[1+j]); err != nil {
				return nil, fmt.Errorf("index.tsv line %d field %d: %w", n, 2+j, err)
			}
		}
		if _, ok := b.blocks[e.block]; !ok {
			return nil, fmt.Errorf("index.tsv line %d: no block %d", n, e.block)
		}
		path := f[0]
		b.files[path] = e
		switch {
		case strings.HasPrefix(path, "styles/") && strings.HasSuffix(path, ".csl"):
			b.styles[f[4]] = len(b.list)
			b.list = append(b.list, StyleInfo{ID: f[4], Title: f[5], Dependent: f[6] != "", Parent: f[6]})
		case strings.HasPrefix(path, "locales/locales-") && strings.HasSuffix(path, ".xml"):
			tag := strings.TrimSuffix(strings.TrimPrefix(path, "locales/locales-"), ".xml")
			b.locales[strings.ToLower(tag)] = path
		}
	}
	// The generator writes styles sorted by id; an older archive may not.
	if !slices.IsSortedFunc(b.list, func(x, y StyleInfo) int { return strings.Compare(x.ID, y.ID) }) {
		slices.SortFunc(b.list, func(x, y StyleInfo) int { return strings.Compare(x.ID, y.ID) })
		for i, s := range b.list {
			b.styles[s.ID] = i
		}
	}
	return b, nil
}

// read returns the content of the file at path in the archive. Only the
// block holding it is decompressed, and only up to the file's end.
func (b *bundle) read(path string) ([]byte, error) {
	e, ok := b.files[path]
	if !ok {
		return nil, fmt.Errorf("%s: %w", path, ErrNotFound)
	}
	r, err := b.blocks[e.block].Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer r.Close()
	if _, err := io.CopyN(io.Discard, r, int64(e.offset)); err != nil {
		return nil, fmt.Errorf("%s: block %d: %w", path, e.block, err)
	}
	buf := make([]byte, e.size)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("%s: block %d: %w", path, e.block, err)
	}
	return buf, nil
}

var renamed = sync.OnceValues(func() (map[string]string, error) {
	b, err := load()
	if err != nil {
		return nil, err
	}
	data, err := b.read("styles/renamed-styles.json")
	if err != nil {
		return nil, fmt.Errorf("cslstyles: %w", err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("cslstyles: renamed-styles.json: %w", err)
	}
	return m, nil
})

// Resolve returns the id of the bundled style that id names: the id itself,
// a style URL such as "http://www.zotero.org/styles/apa", or an old id that
// renamed-styles.json maps to a current one.
func Resolve(id string) (string, error) {
	b, err := load()
	if err != nil {
		return "", err
	}
	want := normalizeID(id)
	if _, ok := b.styles[want]; ok {
		return want, nil
	}
	ren, err := renamed()
	if err != nil {
		return "", err
	}
	// Renames can chain when a style is renamed twice; the bound stops a
	// cycle in a corrupt file.
	for range 8 {
		next, ok := ren[want]
		if !ok {
			break
		}
		want = next
		if _, ok := b.styles[want]; ok {
			return want, nil
		}
	}
	return "", fmt.Errorf("style %q: %w", id, ErrNotFound)
}

func normalizeID(id string) string {
	id = strings.TrimSpace(id)
	for _, p := range []string{"http://www.zotero.org/styles/", "https://www.zotero.org/styles/", "http://zotero.org/styles/", "https://zotero.org/styles/"} {
		if s, ok := strings.CutPrefix(id, p); ok {
			id = s
			break
		}
	}
	return strings.TrimSuffix(id, ".csl")
}

// Style returns the CSL XML of the style named by id (see Resolve). A
// dependent style is returned as it is; package csl loads its parent
// through the same function.
func Style(id string) ([]byte, error) {
	rid, err := Resolve(id)
	if err != nil {
		return nil, err
	}
	b, _ := load()
	info := b.list[b.styles[rid]]
	path := "styles/" + rid + ".csl"
	if info.Dependent {
		path = "styles/dependent/" + rid + ".csl"
	}
	data, err := b.read(path)
	if err != nil {
		return nil, fmt.Errorf("cslstyles: style %q: %w", id, err)
	}
	return data, nil
}

// Info returns the description of the style named by id (see Resolve).
func Info(id string) (StyleInfo, error) {
	rid, err := Resolve(id)
	if err != nil {
		return StyleInfo{}, err
	}
	b, _ := load()
	return b.list[b.styles[rid]], nil
}

// Locale returns the locale file for an exact tag such as "en-US" or "de-DE"
// (case-insensitive). Fallback from a language to its dialects is the
// processor's job, so "de" is not found.
func Locale(tag string) ([]byte, error) {
	b, err := load()
	if err != nil {
		return nil, err
	}
	path, ok := b.locales[strings.ToLower(strings.TrimSpace(tag))]
	if !ok {
		return nil, fmt.Errorf("locale %q: %w", tag, ErrNotFound)
	}
	data, err := b.read(path)
	if err != nil {
		return nil, fmt.Errorf("cslstyles: locale %q: %w", tag, err)
	}
	return data, nil
}

// Locales returns the tags of the bundled locales, sorted.
func Locales() []string {
	b, err := load()
	if err != nil {
		return nil
	}
	tags := make([]string, 0, len(b.locales))
	for _, p := range b.locales {
		tags = append(tags, strings.TrimSuffix(strings.TrimPrefix(p, "locales/locales-"), ".xml"))
	}
	sort.Strings(tags)
	return tags
}

// List returns every bundled style, sorted by id. Titles come from an index
// built when the archive was generated, so no style is decompressed.
func List() []StyleInfo {
	b, err := load()
	if err != nil {
		return nil
	}
	return append([]StyleInfo(nil), b.list...)
}
