package browsertest

import (
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// axeGzip is axe-core, the accessibility rules engine (see axe/README.md).
//
//go:embed axe/axe.min.js.gz
var axeGzip []byte

var axeScript = sync.OnceValues(func() (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(axeGzip))
	if err != nil {
		return "", fmt.Errorf("axe/axe.min.js.gz: %w", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return "", fmt.Errorf("axe/axe.min.js.gz: %w", err)
	}
	return string(b), nil
})

// Violation is the part of an axe-core result a test reports.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

// Audit runs steps (a navigation, clicks) and then axe-core's WCAG 2.1 A
// and AA rules on the page they leave, and returns what axe-core found.
func Audit(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) ([]Violation, error) {
	axe, err := axeScript()
	if err != nil {
		return nil, err
	}
	steps = append(steps, chromedp.Evaluate[chromedp.Void](axe))
	if err := chromedp.Do(ctx, steps...); err != nil {
		return nil, fmt.Errorf("load with axe-core: %w", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](
		`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => r.violations)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal(raw, &vs); err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	return vs, nil
}

// Widths returns the page's scroll width and the width of the window: a
// page wider than the window scrolls sideways.
func Widths(ctx context.Context) (scroll, client int, err error) {
	w, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
	if err != nil || len(w) != 2 {
		return 0, 0, fmt.Errorf("measure the page: %v", err)
	}
	return w[0], w[1], nil
}
