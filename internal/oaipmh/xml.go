package oaipmh

import (
	"bytes"
	"encoding/xml"
	"strings"
	"time"
)

// xmlWriter builds a response. Hand-written elements keep the namespace
// prefixes the protocol's examples use (oai_dc:, dc:), which encoding/xml
// cannot produce from structs.
type xmlWriter struct {
	buf bytes.Buffer
}

// open writes a start tag; attrs alternate names and values, and an
// attribute with an empty value is left out.
func (x *xmlWriter) open(name string, attrs ...string) {
	x.buf.WriteByte('<')
	x.buf.WriteString(name)
	x.attrs(attrs)
	x.buf.WriteByte('>')
}

func (x *xmlWriter) attrs(attrs []string) {
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		x.buf.WriteByte(' ')
		x.buf.WriteString(attrs[i])
		x.buf.WriteString(`="`)
		x.escape(attrs[i+1])
		x.buf.WriteByte('"')
	}
}

func (x *xmlWriter) close(name string) {
	x.buf.WriteString("</")
	x.buf.WriteString(name)
	x.buf.WriteString(">\n")
}

// empty writes an element without content.
func (x *xmlWriter) empty(name string, attrs ...string) {
	x.buf.WriteByte('<')
	x.buf.WriteString(name)
	x.attrs(attrs)
	x.buf.WriteString("/>\n")
}

// elem writes an element holding text; nothing when text is blank, since
// an empty element says nothing to a harvester.
func (x *xmlWriter) elem(name, text string, attrs ...string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	x.open(name, attrs...)
	x.escape(text)
	x.close(name)
}

// escape writes s as character data, dropping characters XML 1.0 cannot
// carry (control characters from imported records) instead of failing.
func (x *xmlWriter) escape(s string) {
	_ = xml.EscapeText(&x.buf, []byte(xmlChars(s)))
}

// cdata writes s, which must not contain "]]>", as a CDATA section, so
// that JSON keeps its quotes readable.
func (x *xmlWriter) cdata(s string) {
	x.buf.WriteString("<![CDATA[")
	x.buf.WriteString(xmlChars(s))
	x.buf.WriteString("]]>")
}

func xmlChars(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return -1
	}, s)
}

// datestamp formats t at the repository's granularity, seconds in UTC.
func datestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
