package search

import (
	"html"
	"html/template"
	"strings"
)

// The engines mark matched words in a snippet with these two characters,
// from the Unicode private use area, which text written for readers does
// not contain; highlight turns them into <mark> after escaping the rest.
const (
	markStart = "\uE000"
	markEnd   = "\uE001"
)

// highlight escapes an engine's snippet and turns its marks into <mark>
// elements. Marks that do not pair up (stored text that did contain the
// characters) are closed or dropped, so the HTML is always well formed.
func highlight(s string) template.HTML {
	s = stripMarkup(s)
	var b strings.Builder
	open := false
	for len(s) > 0 {
		i := strings.IndexAny(s, markStart+markEnd)
		if i < 0 {
			b.WriteString(html.EscapeString(s))
			break
		}
		b.WriteString(html.EscapeString(s[:i]))
		if strings.HasPrefix(s[i:], markStart) {
			if !open {
				b.WriteString("<mark>")
				open = true
			}
			s = s[i+len(markStart):]
		} else {
			if open {
				b.WriteString("</mark>")
				open = false
			}
			s = s[i+len(markEnd):]
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(strings.TrimSpace(b.String())) //nolint:gosec // escaped above; only <mark> added
}

// hasMark reports whether an engine's snippet marks a match.
func hasMark(s string) bool { return strings.Contains(s, markStart) }

// leadSnippet is the start of text, cut at a word boundary near max
// runes, for a hit whose match is in no passage worth showing.
func leadSnippet(text string, max int) template.HTML {
	text = strings.Join(strings.Fields(stripMarkup(strings.NewReplacer(markStart, "", markEnd, "").Replace(text))), " ")
	r := []rune(text)
	if len(r) <= max {
		return template.HTML(html.EscapeString(text)) //nolint:gosec // escaped
	}
	cut := max
	for cut > max/2 && r[cut] != ' ' {
		cut--
	}
	return template.HTML(html.EscapeString(strings.TrimRight(string(r[:cut]), " ,.;:")) + "…") //nolint:gosec // escaped
}

// markdownMarks are the Markdown emphasis and code characters that
// summaries and full texts are written with; a snippet shows the words
// without them, since it is cut where the closing mark may be missing.
var markdownMarks = strings.NewReplacer("**", "", "__", "", "*", "", "`", "")

// stripMarkup drops Markdown emphasis marks and heading hashes from text.
func stripMarkup(s string) string {
	s = markdownMarks.Replace(s)
	fields := strings.Split(s, " ")
	for i, f := range fields {
		if f != "" && strings.Trim(f, "#") == "" {
			fields[i] = ""
		}
	}
	return strings.Join(fields, " ")
}
