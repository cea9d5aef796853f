package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/cslstyles"
)

const citeDescription = `
Format references with a citation style: CSL-JSON items (a JSON array, as
exported by Zotero, pandoc or the Imprint API), BibTeX or BibLaTeX (.bib)
or RIS (.ris), told apart by their content.

The style is a bundled style id (see 'imprint styles'), an old id that
has been renamed, a style URL, or the path of a .csl file; dependent styles
are resolved to their parent. The locale defaults to the style's
default-locale, else en-US; --locale overrides it.

Bibliography mode prints the bibliography: one entry per line as text, or
the csl-bib-body markup as html. Citation mode prints one citation per item,
in input order, as if each item were cited once, alone, in one document.
FILE "-" or no FILE reads standard input.`

func runCite(ctx context.Context, stdio Stdio, args []string) error {
	fs := newFlagSet(stdio, "cite", "[--style ID|FILE.csl] [--locale TAG] [--format text|html] [--mode bibliography|citation] [FILE|-]", citeDescription)
	styleArg := fs.String("style", "apa", "bundled style `id` (or an old id, or a style URL), or the path of a .csl file")
	locale := fs.String("locale", "", "locale `tag` such as en-GB or de-DE, overriding the style's default-locale")
	format := fs.String("format", "text", "output `format`: text or html")
	mode := fs.String("mode", "bibliography", "`mode`: bibliography or citation")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		fmt.Fprintf(stdio.Err, "imprint cite: one input file expected, got %d\n", len(pos))
		fs.Usage()
		return errUsage
	}
	var f csl.Format
	switch *format {
	case "text":
		f = csl.Text
	case "html":
		f = csl.HTML
	default:
		fmt.Fprintf(stdio.Err, "imprint cite: --format %q: want text or html\n", *format)
		return errUsage
	}
	if *mode != "bibliography" && *mode != "citation" {
		fmt.Fprintf(stdio.Err, "imprint cite: --mode %q: want bibliography or citation\n", *mode)
		return errUsage
	}

	input := "-"
	if len(pos) == 1 {
		input = pos[0]
	}
	// The work runs in its own goroutine so that an interrupt, which cancels
	// ctx rather than killing the process, ends the command even while it
	// waits for standard input or formats a large file.
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := cite(ctx, stdio.In, input, *styleArg, *locale, f, *mode)
		done <- result{out, err}
	}()
	select {
	case <-ctx.Done():
		return fmt.Errorf("interrupted: %w", ctx.Err())
	case r := <-done:
		if r.err != nil {
			return r.err
		}
		_, err := io.WriteString(stdio.Out, r.out)
		return err
	}
}

// cite reads the items and formats them; it returns the whole output so
// that nothing is written once the command has been interrupted.
func cite(ctx context.Context, stdin io.Reader, input, styleArg, locale string, f csl.Format, mode string) (string, error) {
	data, err := readInput(stdin, input)
	if err != nil {
		return "", err
	}
	items, err := decodeItems(ctx, input, data)
	if err != nil {
		return "", err
	}
	style, styleName, err := loadStyle(styleArg)
	if err != nil {
		return "", err
	}
	if locale != "" {
		if err := checkLocale(locale); err != nil {
			return "", err
		}
	}
	return format1(style, styleName, locale, items, f, mode)
}

// parseInterspersed parses flags that may follow the file argument, as in
// "imprint cite refs.json --style ieee", which the flag package alone would
// take for two positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func readInput(stdin io.Reader, name string) ([]byte, error) {
	if name == "-" {
		data, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
		return data, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("reading input: %w", err)
	}
	return data, nil
}

// decodeItems reads the input's items. BibTeX and RIS go through the
// readers convert uses; CSL-JSON keeps its own reader, whose messages
// explain the commonest wrong shapes of a JSON file.
func decodeItems(ctx context.Context, name string, data []byte) ([]csl.Item, error) {
	f := bib.Detect(data)
	if f == "" {
		f = formatFromExt(name)
	}
	if f == bib.BibTeX || f == bib.RIS {
		return readItems(ctx, name, data, f, false, io.Discard)
	}
	items, err := csl.ParseItems(data)
	if err != nil {
		return nil, describeJSONError(name, data, err)
	}
	return items, nil
}

// describeJSONError adds the line and column of a JSON syntax error to the
// message, which otherwise gives only a byte offset, and explains the
// commonest wrong shapes. (Type errors inside an item carry offsets within
// that item, so they are left to name the item and field.)
func describeJSONError(name string, data []byte, err error) error {
	if name == "-" {
		name = "standard input"
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return fmt.Errorf("%s: empty input, want a JSON array of CSL-JSON items", name)
	case trimmed[0] == '{':
		return fmt.Errorf("%s: a JSON object, want an array of CSL-JSON items ([{...}, ...])", name)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, se.Offset)
		return fmt.Errorf("%s:%d:%d: %w", name, line, col, err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

func lineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// loadStyle reads a style from a .csl file or the bundle. It returns the
// parsed style and a name for messages.
func loadStyle(arg string) (*csl.Style, string, error) {
	var data []byte
	name := arg
	if isStyleFile(arg) {
		b, err := os.ReadFile(arg)
		if err != nil {
			return nil, "", fmt.Errorf("reading style: %w", err)
		}
		data = b
	} else {
		b, err := cslstyles.Style(arg)
		if errors.Is(err, cslstyles.ErrNotFound) {
			msg := fmt.Sprintf("unknown style %q", arg)
			if s := cslstyles.Suggest(arg, 5); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, ", ") + "?"
			}
			return nil, "", errors.New(msg + " (imprint styles QUERY lists bundled styles)")
		}
		if err != nil {
			return nil, "", err
		}
		data = b
	}
	st, err := csl.ParseStyle(data)
	if err != nil {
		return nil, "", fmt.Errorf("style %s: %w", name, err)
	}
	return st, name, nil
}

// isStyleFile tells a file argument from a bundled id: a path separator or
// a .csl/.xml suffix means a file, unless no such file exists and the name
// is a bundled id ("apa.csl").
func isStyleFile(arg string) bool {
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		return false
	}
	if strings.ContainsRune(arg, os.PathSeparator) || strings.ContainsRune(arg, '/') {
		return true
	}
	if strings.HasSuffix(arg, ".csl") || strings.HasSuffix(arg, ".xml") {
		if _, err := os.Stat(arg); err == nil {
			return true
		}
		_, err := cslstyles.Resolve(arg)
		return err != nil
	}
	return false
}

// checkLocale rejects a --locale for which no bundled locale file applies,
// neither the exact tag nor another dialect of its language; the processor
// would silently fall back to en-US.
func checkLocale(tag string) error {
	if _, err := cslstyles.Locale(tag); err == nil {
		return nil
	}
	lang, _, _ := strings.Cut(strings.ToLower(tag), "-")
	for _, t := range cslstyles.Locales() {
		l, _, _ := strings.Cut(strings.ToLower(t), "-")
		if l == lang {
			return nil
		}
	}
	return fmt.Errorf("unknown locale %q; bundled locales: %s", tag, strings.Join(cslstyles.Locales(), " "))
}

func format1(style *csl.Style, styleName, locale string, items []csl.Item, f csl.Format, mode string) (string, error) {
	p, err := csl.NewProcessor(style, csl.Options{Locale: locale, LoadLocale: cslstyles.Locale, LoadStyle: cslstyles.Style})
	if err != nil {
		return "", fmt.Errorf("style %s: %w", styleName, err)
	}
	var sb strings.Builder
	w := bufio.NewWriter(&sb)
	if mode == "citation" {
		cites, err := p.CiteEach(items, f)
		if err != nil {
			return "", err
		}
		for _, c := range cites {
			w.WriteString(oneLine(c))
			w.WriteByte('\n')
		}
	} else {
		bib, err := p.Bibliography(items, f)
		if err != nil {
			return "", err
		}
		if len(bib.Entries) == 0 && len(items) > 0 {
			return "", fmt.Errorf("style %s gave no bibliography entry for %d items (a style without <bibliography> formats only citations: try --mode citation)", styleName, len(items))
		}
		if f == csl.HTML {
			w.WriteString(bib.HTML())
			w.WriteByte('\n')
		} else {
			for _, e := range bib.Entries {
				w.WriteString(oneLine(e.Text))
				w.WriteByte('\n')
			}
		}
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	return sb.String(), nil
}

// oneLine keeps one entry per output line, as scripts reading the output
// expect, should a style put a line break inside an entry.
func oneLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if !strings.Contains(s, "\n") {
		return s
	}
	return strings.ReplaceAll(s, "\n", " ")
}
