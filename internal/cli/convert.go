package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/bib/bibtex"
	"github.com/imprintpub/imprint/bib/csljson"
	"github.com/imprintpub/imprint/bib/ris"
	"github.com/imprintpub/imprint/csl"
)

const convertDescription = `
Convert references between BibTeX, BibLaTeX, RIS and CSL-JSON, without a
database.

The input format is detected from the content (a JSON array is CSL-JSON, a
"TY  -" line RIS, an @entry BibTeX) unless --from names it; BibTeX and
BibLaTeX are read by the same reader. --to bibtex writes ASCII for classic
BibTeX styles (year and month, journal, LaTeX accents); --to biblatex
writes UTF-8 with BibLaTeX's date fields and entry types.

By default the first invalid entry stops the conversion and nothing is
written. --skip-invalid writes the valid entries and reports each skipped
one on standard error. FILE "-" or no FILE reads standard input.`

func runConvert(ctx context.Context, stdio Stdio, args []string) error {
	fs := newFlagSet(stdio, "convert", "[--from bibtex|biblatex|ris|csljson] --to bibtex|biblatex|ris|csljson [--skip-invalid] [FILE|-]", convertDescription)
	from := fs.String("from", "", "input `format` (default: detected from the content)")
	to := fs.String("to", "", "output `format`: bibtex, biblatex, ris or csljson")
	skip := fs.Bool("skip-invalid", false, "skip invalid entries (reported on standard error) instead of failing")
	genKeys := fs.Bool("generate-keys", false, "give every BibTeX entry an author-year-word key instead of keeping usable ids")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		fmt.Fprintf(stdio.Err, "imprint convert: one input file expected, got %d\n", len(pos))
		fs.Usage()
		return errUsage
	}
	if !validFormat(bib.Format(*to)) {
		fmt.Fprintf(stdio.Err, "imprint convert: --to %q: want bibtex, biblatex, ris or csljson\n", *to)
		return errUsage
	}
	if *from != "" && !validFormat(bib.Format(*from)) {
		fmt.Fprintf(stdio.Err, "imprint convert: --from %q: want bibtex, biblatex, ris or csljson\n", *from)
		return errUsage
	}
	input := "-"
	if len(pos) == 1 {
		input = pos[0]
	}
	data, err := readInput(stdio.In, input)
	if err != nil {
		return err
	}
	items, err := readItems(ctx, input, data, bib.Format(*from), *skip, stdio.Err)
	if err != nil {
		return err
	}
	// Output is built in memory first, so that a failure writes nothing.
	var out bytes.Buffer
	if err := writeItems(&out, items, bib.Format(*to), *genKeys); err != nil {
		return err
	}
	_, err = stdio.Out.Write(out.Bytes())
	return err
}

func validFormat(f bib.Format) bool {
	switch f {
	case bib.BibTeX, bib.BibLaTeX, bib.RIS, bib.CSLJSON:
		return true
	}
	return false
}

// readItems reads references in any supported format: from names it, or
// "" detects it from the content (then the file extension). With skip,
// invalid entries are reported to warn and left out; otherwise the first
// one is the error. name is used in messages ("-" is standard input).
func readItems(ctx context.Context, name string, data []byte, from bib.Format, skip bool, warn io.Writer) ([]csl.Item, error) {
	display := name
	if name == "-" {
		display = "standard input"
	}
	if from == "" {
		from = bib.Detect(data)
	}
	if from == "" {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".bib", ".bibtex":
			from = bib.BibTeX
		case ".ris":
			from = bib.RIS
		case ".json":
			from = bib.CSLJSON
		default:
			return nil, fmt.Errorf("%s: cannot tell the format (not CSL-JSON, RIS or BibTeX); name it with --from", display)
		}
	}
	var items []csl.Item
	var err error
	r := bytes.NewReader(data)
	switch from {
	case bib.BibTeX, bib.BibLaTeX:
		items, err = bibtex.Parse(ctx, r, &bibtex.Options{File: display, SkipInvalid: skip})
	case bib.RIS:
		items, err = ris.Parse(ctx, r, &ris.Options{File: display, SkipInvalid: skip})
	case bib.CSLJSON:
		// Producers add fields of their own (pandoc's other-ids); those are
		// not worth failing a conversion for.
		items, err = csljson.Parse(ctx, r, &csljson.Options{File: display, SkipInvalid: skip, Lenient: true})
	default:
		return nil, fmt.Errorf("unknown input format %q", from)
	}
	var list bib.ErrorList
	if skip && errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintf(warn, "skipped: %v\n", e)
		}
		fmt.Fprintf(warn, "%s: %d entries read, %d skipped\n", display, len(items), len(list))
		return items, nil
	}
	return items, err
}

// writeItems writes items in the given format.
func writeItems(w io.Writer, items []csl.Item, to bib.Format, generateKeys bool) error {
	switch to {
	case bib.BibTeX:
		return bibtex.Write(w, items, &bibtex.WriteOptions{Flavor: bibtex.BibTeX, GenerateKeys: generateKeys, ProtectCase: true})
	case bib.BibLaTeX:
		return bibtex.Write(w, items, &bibtex.WriteOptions{Flavor: bibtex.BibLaTeX, GenerateKeys: generateKeys, ProtectCase: true})
	case bib.RIS:
		return ris.Write(w, items)
	case bib.CSLJSON:
		return csljson.Write(w, items)
	}
	return fmt.Errorf("unknown output format %q", to)
}
