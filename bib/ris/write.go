package ris

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/csl"
)

// Write writes items as RIS with CRLF line ends, as the format's
// specification and EndNote expect. CSL rich-text markup is dropped, since
// RIS has none. Output is stable: the same items always give the same bytes.
func Write(w io.Writer, items []csl.Item) error {
	bw := bufio.NewWriter(w)
	for i := range items {
		if i > 0 {
			bw.WriteString("\r\n")
		}
		for _, t := range recordTags(&items[i]) {
			bw.WriteString(t.Name)
			bw.WriteString("  - ")
			bw.WriteString(t.Value)
			bw.WriteString("\r\n")
		}
		bw.WriteString("ER  - \r\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("ris: write: %w", err)
	}
	return nil
}

// recordTags returns the tag lines of one item in a fixed order.
func recordTags(it *csl.Item) []Tag {
	var tags []Tag
	add := func(name, value string) {
		value = oneLine(stripMarkup(value))
		if value != "" {
			tags = append(tags, Tag{Name: name, Value: value})
		}
	}
	v := func(name string) string { return it.Vars[name] }
	ty := typeFromCSL[it.Type]
	if ty == "" {
		ty = "GEN"
	}
	add("TY", ty)
	add("ID", it.ID)
	names := func(tag, variable string) {
		for _, n := range it.Names[variable] {
			add(tag, formatName(n))
		}
	}
	names("AU", "author")
	if it.Type == "book" {
		// A book's editors are A3 and its series editors A2, as the
		// specification, Zotero and citation-js have them.
		names("A2", "collection-editor")
		names("A3", "editor")
	} else {
		names("A2", "editor")
		names("A3", "collection-editor")
	}
	names("A4", "translator")
	add("TI", v("title"))
	if it.Type == "book" {
		add("T2", v("collection-title")) // a book's T2 is its series
	} else if it.Type == "paper-conference" && v("container-title") != "" {
		// T2 is the conference's name and C3 the proceedings' title; with
		// no name, T2 repeats the title for readers that know only T2.
		add("T2", firstNonEmpty(v("event-title"), v("container-title")))
		add("C3", v("container-title"))
		add("T3", v("collection-title"))
	} else {
		add("T2", v("container-title"))
		add("T3", v("collection-title"))
	}
	add("ST", v("title-short"))
	add("J2", v("container-title-short"))
	add("OP", v("original-title"))
	if d, ok := it.Dates["issued"]; ok {
		switch {
		case len(d.Parts) > 0 && len(d.Parts[0]) > 0:
			p := d.Parts[0]
			add("PY", strconv.Itoa(p[0]))
			if len(p) > 1 {
				add("DA", risDate(p))
			}
		case d.Literal != "":
			add("PY", d.Literal)
		case d.Raw != "":
			add("PY", d.Raw)
		}
	}
	if d, ok := it.Dates["accessed"]; ok && len(d.Parts) > 0 && len(d.Parts[0]) > 0 {
		add("Y2", risDate(d.Parts[0]))
	}
	add("VL", v("volume"))
	add("IS", v("issue"))
	if p := v("page"); p != "" {
		sp, ep, ok := strings.Cut(strings.ReplaceAll(p, "–", "-"), "-")
		if ok && !strings.ContainsAny(ep, ",-") {
			add("SP", strings.TrimSpace(sp))
			add("EP", strings.TrimSpace(ep))
		} else {
			add("SP", p)
		}
	} else if it.Type == "book" {
		add("SP", v("number-of-pages"))
	}
	add("ET", v("edition"))
	add("NV", v("number-of-volumes"))
	add("PB", v("publisher"))
	add("CY", v("publisher-place"))
	add("SN", firstNonEmpty(v("ISBN"), v("ISSN")))
	add("DO", v("DOI"))
	add("UR", v("URL"))
	add("AB", v("abstract"))
	for _, line := range strings.Split(v("note"), "\n") {
		add("N1", line)
	}
	if kw := v("keyword"); kw != "" {
		for _, k := range strings.Split(kw, ", ") {
			add("KW", k)
		}
	}
	add("LA", v("language"))
	add("M3", v("genre"))
	add("M1", v("number"))
	add("SE", v("section"))
	add("CN", v("call-number"))
	add("DP", v("archive"))
	add("AN", v("archive_location"))
	add("LB", v("citation-label"))
	return tags
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// risDate writes YYYY/MM/DD (with empty trailing parts kept as slashes, as
// the specification shows them).
func risDate(p []int) string {
	s := fmt.Sprintf("%04d/", p[0])
	if len(p) > 1 {
		s += fmt.Sprintf("%02d", p[1])
	}
	s += "/"
	if len(p) > 2 {
		s += fmt.Sprintf("%02d", p[2])
	}
	return s
}

// formatName writes "Family, Given, Suffix", or a literal as it is.
func formatName(n csl.Name) string {
	if n.Literal != "" {
		return n.Literal
	}
	family := strings.TrimSpace(firstNonEmpty(n.NonDroppingParticle, n.DroppingParticle) + " " + n.Family)
	s := family + ", " + n.Given
	if n.Suffix != "" {
		s += ", " + n.Suffix
	}
	return s
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// stripMarkup removes CSL rich-text tags (<i>, <b>, <sup>, <sub>, <span …>).
func stripMarkup(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '<' {
			if n := markupTag(s[i:]); n > 0 {
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// markupTag returns the length of the CSL markup tag at the start of s, or 0.
func markupTag(s string) int {
	for _, t := range []string{"<i>", "</i>", "<b>", "</b>", "<sup>", "</sup>", "<sub>", "</sub>", "</span>"} {
		if strings.HasPrefix(s, t) {
			return len(t)
		}
	}
	if strings.HasPrefix(s, "<span ") {
		if j := strings.IndexByte(s, '>'); j > 0 {
			return j + 1
		}
	}
	return 0
}
