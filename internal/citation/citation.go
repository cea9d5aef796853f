// Package citation formats publications with the bundled CSL styles for
// pages: one cached processor per style, and the styles the Cite dialog
// offers.
package citation

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/cslstyles"
	"github.com/imprintpub/imprint/internal/richtext"
)

// Style is one of the styles offered in the Cite dialog.
type Style struct {
	Key     string // radio value and element id suffix
	Label   string
	StyleID string
}

// DialogStyles are the Cite dialog's choices, in display order; the first is
// selected by default.
var DialogStyles = []Style{
	{Key: "mla", Label: "MLA", StyleID: "modern-language-association"},
	{Key: "apa", Label: "APA", StyleID: "apa"},
	{Key: "chicago", Label: "Chicago", StyleID: "chicago-notes-bibliography"},
}

// PreferredStyleID is the style of the citation printed in the page footer.
const PreferredStyleID = "chicago-notes-bibliography"

// ErrUnknownStyle reports a style id that no bundled style answers to.
var ErrUnknownStyle = errors.New("unknown citation style")

// Citer formats bibliography entries, keeping one processor per style:
// processors are safe for concurrent use and costly to build.
type Citer struct {
	mu    sync.Mutex
	procs map[string]*procEntry
}

type procEntry struct {
	once sync.Once
	p    *csl.Processor
	err  error
}

// NewCiter returns an empty Citer.
func NewCiter() *Citer { return &Citer{procs: map[string]*procEntry{}} }

// Processor returns the cached processor for a bundled style id (or URL or
// former id, as cslstyles.Resolve accepts).
func (c *Citer) Processor(styleID string) (*csl.Processor, string, error) {
	id, err := cslstyles.Resolve(styleID)
	if err != nil {
		if errors.Is(err, cslstyles.ErrNotFound) {
			return nil, "", fmt.Errorf("style %q: %w", styleID, ErrUnknownStyle)
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

// Entry formats item as one bibliography entry in the given format.
func (c *Citer) Entry(styleID string, item csl.Item, f csl.Format) (string, error) {
	p, id, err := c.Processor(styleID)
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

// View is one formatted citation as the templates show it.
type View struct {
	Key     string
	Label   string
	StyleID string
	HTML    template.HTML
	Text    string
	Err     error
}

// Cite formats item in one style for a page: sanitized HTML and plain text.
func (c *Citer) Cite(style Style, item csl.Item) View {
	v := View{Key: style.Key, Label: style.Label, StyleID: style.StyleID}
	h, err := c.Entry(style.StyleID, item, csl.HTML)
	if err != nil {
		v.Err = err
		return v
	}
	v.HTML = richtext.Citation(h)
	v.Text, v.Err = c.Entry(style.StyleID, item, csl.Text)
	return v
}
