// Package richtext turns the Markdown editors write (summaries, bios, hosted
// full texts) and the HTML citation processors emit into HTML that is safe
// to embed, with one sanitizing policy for the public site and the admin.
package richtext

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Markdown renders the Markdown that editors write (summaries, bios, hosted
// full texts) to HTML that is safe to embed. goldmark already drops raw HTML,
// but the sanitizer is the guarantee: imported records can carry anything.
type Markdown struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// NewMarkdown returns a renderer; it is safe for concurrent use.
func NewMarkdown() *Markdown {
	p := bluemonday.UGCPolicy()
	p.RequireNoReferrerOnLinks(true)
	return &Markdown{
		md:     goldmark.New(goldmark.WithExtensions(extension.Typographer, extension.Table, extension.Strikethrough)),
		policy: p,
	}
}

// Render converts src; on a conversion failure it falls back to the escaped
// source so that one bad record degrades to plain text instead of a 500.
func (m *Markdown) Render(src string) (template.HTML, error) {
	if strings.TrimSpace(src) == "" {
		return "", nil
	}
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>"), fmt.Errorf("markdown: %w", err)
	}
	return template.HTML(m.policy.SanitizeBytes(buf.Bytes())), nil
}

// Plain reduces Markdown to one line of text for blurbs and meta
// descriptions, cut at a word boundary near max runes.
func (m *Markdown) Plain(src string, max int) string {
	h, _ := m.Render(src)
	text := bluemonday.StrictPolicy().Sanitize(string(h))
	text = htmlUnescaper.Replace(text)
	text = strings.Join(strings.Fields(text), " ")
	return Truncate(text, max)
}

var htmlUnescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", "\"", "&#39;", "'", "&quot;", "\"")

// Truncate cuts s to at most max runes, preferring the end of the first
// sentence or a word boundary, and marks the cut with an ellipsis.
func Truncate(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	cut := string(r[:max])
	if i := sentenceEnd(cut); i > max/3 {
		return cut[:i]
	}
	if i := strings.LastIndex(cut, " "); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, ",;:—– ") + "…"
}

// citationPolicy admits the markup CSL processors emit for bibliography
// entries. Inline styles are rewritten to classes first, because the
// Content-Security-Policy forbids style attributes.
var citationPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("i", "b", "em", "strong", "sup", "sub")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^csl-[a-z-]+$`)).OnElements("span", "div")
	p.AllowStandardURLs()
	p.AllowAttrs("href").OnElements("a")
	p.RequireNoReferrerOnLinks(true)
	return p
}()

var cslStyleToClass = strings.NewReplacer(
	`<span style="font-variant:small-caps;">`, `<span class="csl-small-caps">`,
	`<span style="font-variant:normal;">`, `<span class="csl-normal-variant">`,
	`<span style="font-style:normal;">`, `<span class="csl-normal-style">`,
	`<span style="font-weight:normal;">`, `<span class="csl-normal-weight">`,
	`<span style="text-decoration:underline;">`, `<span class="csl-underline">`,
	`<span style="text-decoration:none;">`, `<span class="csl-no-decoration">`,
	`<span style="baseline">`, `<span class="csl-baseline">`,
)

// Citation makes a processor's HTML entry safe to embed.
func Citation(entry string) template.HTML {
	return template.HTML(citationPolicy.Sanitize(cslStyleToClass.Replace(entry)))
}

// sentenceEnd returns the byte offset just past the full stop ending the
// first sentence of s, or -1. A stop after an abbreviation such as "U.S."
// or "Vol." does not end a sentence; an ideographic full stop always does.
func sentenceEnd(s string) int {
	if i := strings.Index(s, "。"); i >= 0 {
		return i + len("。")
	}
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '.' || s[i+1] != ' ' {
			continue
		}
		word := s[strings.LastIndexByte(s[:i], ' ')+1 : i]
		if strings.Contains(word, ".") || len(word) < 3 || abbreviations[word] {
			continue
		}
		return i + 1
	}
	return -1
}

var abbreviations = map[string]bool{"Vol": true, "No": true, "Inc": true, "Gen": true, "Sen": true, "Rep": true, "Gov": true, "Prof": true}
