package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// This file holds a small CSS-selector matcher over golang.org/x/net/html,
// so that tests assert what a page says where it says it rather than
// comparing whole pages. Supported: descendant combinators (space) of
// compound selectors made of tag, #id, .class, [attr] and [attr="value"].

type simpleSel struct {
	tag, id string
	classes []string
	attrs   [][2]string // name, value; value "\x00" means presence only
}

var selPart = regexp.MustCompile(`^([a-zA-Z0-9]*)((?:#[\w-]+|\.[\w-]+|\[[\w-]+(?:="[^"]*")?\])*)$`)
var selPiece = regexp.MustCompile(`#[\w-]+|\.[\w-]+|\[[\w-]+(?:="[^"]*")?\]`)

func parseSel(t *testing.T, sel string) []simpleSel {
	t.Helper()
	var out []simpleSel
	for _, part := range strings.Fields(sel) {
		m := selPart.FindStringSubmatch(part)
		if m == nil {
			t.Fatalf("selector %q: cannot parse %q", sel, part)
		}
		s := simpleSel{tag: m[1]}
		for _, p := range selPiece.FindAllString(m[2], -1) {
			switch p[0] {
			case '#':
				s.id = p[1:]
			case '.':
				s.classes = append(s.classes, p[1:])
			case '[':
				name, val, ok := strings.Cut(p[1:len(p)-1], "=")
				if !ok {
					val = "\x00"
				} else {
					val = strings.Trim(val, `"`)
				}
				s.attrs = append(s.attrs, [2]string{name, val})
			}
		}
		out = append(out, s)
	}
	return out
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func (s simpleSel) match(n *html.Node) bool {
	if n.Type != html.ElementNode || (s.tag != "" && n.Data != s.tag) {
		return false
	}
	if s.id != "" {
		if v, _ := attr(n, "id"); v != s.id {
			return false
		}
	}
	if len(s.classes) > 0 {
		v, _ := attr(n, "class")
		have := strings.Fields(v)
		for _, c := range s.classes {
			found := false
			for _, h := range have {
				found = found || h == c
			}
			if !found {
				return false
			}
		}
	}
	for _, a := range s.attrs {
		v, ok := attr(n, a[0])
		if !ok || (a[1] != "\x00" && v != a[1]) {
			return false
		}
	}
	return true
}

// queryAll returns the elements under root matching sel, in document order.
func queryAll(t *testing.T, root *html.Node, sel string) []*html.Node {
	t.Helper()
	parts := parseSel(t, sel)
	var out []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if parts[len(parts)-1].match(c) && ancestorsMatch(c.Parent, parts[:len(parts)-1]) {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(root)
	return out
}

func ancestorsMatch(n *html.Node, parts []simpleSel) bool {
	if len(parts) == 0 {
		return true
	}
	for ; n != nil; n = n.Parent {
		if parts[len(parts)-1].match(n) {
			return ancestorsMatch(n.Parent, parts[:len(parts)-1])
		}
	}
	return false
}

// queryOne returns the single element matching sel, failing otherwise.
func queryOne(t *testing.T, root *html.Node, sel string) *html.Node {
	t.Helper()
	ns := queryAll(t, root, sel)
	if len(ns) != 1 {
		t.Fatalf("selector %q matches %d elements, want 1", sel, len(ns))
	}
	return ns[0]
}

// textOf returns the text content of n with runs of white space collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// innerHTML renders n's children.
func innerHTML(t *testing.T, n *html.Node) string {
	t.Helper()
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// response is one handler response with its body read.
type response struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, h http.Handler, target string) response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	b, err := io.ReadAll(rec.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: rec.Code, header: rec.Header(), body: string(b)}
}

// getPage fetches target, checks the status and parses the HTML.
func getPage(t *testing.T, h http.Handler, target string, wantStatus int) *html.Node {
	t.Helper()
	r := get(t, h, target)
	if r.status != wantStatus {
		t.Fatalf("GET %s: status %d, want %d; body:\n%.600s", target, r.status, wantStatus, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("GET %s: Content-Type %q, want text/html", target, ct)
	}
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("GET %s: parse HTML: %v", target, err)
	}
	return doc
}

func post(t *testing.T, h http.Handler, target string) int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, strings.NewReader("")))
	return rec.Code
}
