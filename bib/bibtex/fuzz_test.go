package bibtex

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary input to the reader and checks that it neither
// panics nor takes long, and that whatever it accepts survives a write and
// a second read.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile(examplesFile); err == nil {
		f.Add(string(data[:min(len(data), 4000)]))
	}
	for _, s := range []string{
		"@book{a, title = {T}, author = {van Doe, Jr, J.}, year = 2000}",
		`@string{x = "a" # {b}} @misc{k, note = x # x # "c"}`,
		"@article{k, title = {" + strings.Repeat("{", 150) + "x" + strings.Repeat("}", 150) + "}}",
		"@book{a, crossref = {b}} @book{b, crossref = {a}}",
		`@misc{k, title = {\"{\i} \c c \v{} \'{} $x$ $$ \ {\em a \bf b}}}`,
		"@misc{k, date = {2013-21/..}}",
		"@comment{@book{x}} @preamble{\"x\"} @",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		items, err := Parse(context.Background(), strings.NewReader(src), &Options{MaxFieldSize: 1 << 16})
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("Parse took %v on %d bytes", d, len(src))
		}
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, items, nil); err != nil {
			t.Fatalf("Write: %v", err)
		}
		if _, err := Parse(context.Background(), &buf, nil); err != nil {
			t.Fatalf("reading our own output: %v\n%s", err, buf.String())
		}
	})
}
