package web

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/cslstyles"
)

// dialogStyle is one of the styles offered in the Cite dialog.
type dialogStyle struct {
	Key     string // radio value and element id suffix
	Label   string
	StyleID string
}

// dialogStyles are the Cite dialog's choices, in display order; the first is
// selected by default.
var dialogStyles = []dialogStyle{
	{Key: "mla", Label: "MLA", StyleID: "modern-language-association"},
	{Key: "apa", Label: "APA", StyleID: "apa"},
	{Key: "chicago", Label: "Chicago", StyleID: "chicago-notes-bibliography"},
}

// preferredStyleID is the style of the citation printed in the page footer.
const preferredStyleID = "chicago-notes-bibliography"

// errUnknownStyle reports a style id that no bundled style answers to.
var errUnknownStyle = errors.New("unknown citation style")

// citer formats bibliography entries, keeping one processor per style:
// processors are safe for concurrent use and costly to build.
type citer struct {
	mu    sync.Mutex
	procs map[string]*procEntry
}

type procEntry struct {
	once sync.Once
	p    *csl.Processor
	err  error
}

func newCiter() *citer { return &citer{procs: map[string]*procEntry{}} }

// processor returns the cached processor for a bundled style id (or URL or
// former id, as cslstyles.Resolve accepts).
func (c *citer) processor(styleID string) (*csl.Processor, string, error) {
	id, err := cslstyles.Resolve(styleID)
	if err != nil {
		if errors.Is(err, cslstyles.ErrNotFound) {
			return nil, "", fmt.Errorf("style %q: %w", styleID, errUnknownStyle)
		}
		return nil, "", err
	}
	c.mu.Lock()
	e, ok := c.procs[id]
	if !ok {
		e = &procEntry{}
		c.procs[id] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		data, err := cslstyles.Style(id)
		if err != nil {
			e.err = err
			return
		}
		s, err := csl.ParseStyle(data)
		if err != nil {
			e.err = fmt.Errorf("parse style %q: %w", id, err)
			return
		}
		e.p, e.err = csl.NewProcessor(s, csl.Options{LoadLocale: cslstyles.Locale, LoadStyle: cslstyles.Style})
		if e.err != nil {
			e.err = fmt.Errorf("processor for style %q: %w", id, e.err)
		}
	})
	return e.p, id, e.err
}

// entry formats item as one bibliography entry in the given format.
func (c *citer) entry(styleID string, item csl.Item, f csl.Format) (string, error) {
	p, id, err := c.processor(styleID)
	if err != nil {
		return "", err
	}
	if item.ID == "" {
		item.ID = "item"
	}
	bib, err := p.Bibliography([]csl.Item{item}, f)
	if err != nil {
		return "", fmt.Errorf("style %q: item %q: %w", id, item.ID, err)
	}
	if bib == nil || len(bib.Entries) == 0 {
		return "", fmt.Errorf("style %q: item %q: the style has no bibliography entry for it", id, item.ID)
	}
	return strings.TrimSpace(bib.Entries[0].Text), nil
}

// citationView is one formatted citation as the templates show it.
type citationView struct {
	Key     string
	Label   string
	StyleID string
	HTML    template.HTML
	Text    string
	Err     error
}

// cite formats item in one style for a page: sanitized HTML and plain text.
func (c *citer) cite(style dialogStyle, item csl.Item) citationView {
	v := citationView{Key: style.Key, Label: style.Label, StyleID: style.StyleID}
	h, err := c.entry(style.StyleID, item, csl.HTML)
	if err != nil {
		v.Err = err
		return v
	}
	v.HTML = sanitizeCitation(h)
	v.Text, v.Err = c.entry(style.StyleID, item, csl.Text)
	return v
}
