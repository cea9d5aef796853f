package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/imprintpub/imprint/cslstyles"
)

const stylesDescription = `
List the bundled citation styles: id, a tab, and title; a dependent style
(a journal that uses another style's rules) also names its parent. With a
QUERY, only styles whose id or title contains every word of it, ignoring
case. Any listed id can be given to 'imprint cite --style'.`

func runStyles(ctx context.Context, stdio Stdio, args []string) error {
	fs := newFlagSet(stdio, "styles", "[--independent] [QUERY]", stylesDescription)
	independent := fs.Bool("independent", false, "list only independent styles (no journal aliases)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	words := strings.Fields(strings.ToLower(strings.Join(pos, " ")))
	w := bufio.NewWriter(stdio.Out)
	n := 0
	for _, s := range cslstyles.List() {
		if s.Dependent && *independent {
			continue
		}
		if !matchesAll(strings.ToLower(s.ID+" "+s.Title), words) {
			continue
		}
		n++
		if s.Dependent {
			fmt.Fprintf(w, "%s\t%s\t(dependent on %s)\n", s.ID, s.Title, s.Parent)
		} else {
			fmt.Fprintf(w, "%s\t%s\n", s.ID, s.Title)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if n == 0 {
		msg := fmt.Sprintf("no style matches %q", strings.Join(pos, " "))
		if s := cslstyles.Suggest(strings.Join(pos, " "), 5); len(s) > 0 {
			msg += "; close ids: " + strings.Join(s, ", ")
		}
		return errors.New(msg)
	}
	return ctx.Err()
}

func matchesAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
