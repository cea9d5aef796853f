// Package cli implements the imprint command line: one file per subcommand,
// each with its own flag set and help text.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Stdio carries the standard streams so that commands can be tested without
// touching the process's own.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// command is one subcommand. run receives the arguments after the
// subcommand's name and returns an error to be printed; errUsage means the
// flag set already printed its own message.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, io Stdio, args []string) error
}

// commands lists every subcommand. Keep it sorted by name.
var commands = []command{
	{"cite", "format CSL-JSON items as a bibliography or citations", runCite},
	{"convert", "convert references between BibTeX, BibLaTeX, RIS and CSL-JSON", runConvert},
	{"demo", "generate realistic publications to test and benchmark against", runDemo},
	{"export", "export publications as BibTeX, BibLaTeX, RIS or CSL-JSON", runExport},
	{"import", "import references (BibTeX, BibLaTeX, RIS, CSL-JSON) as publications", runImport},
	{"migrate-data", "copy a whole database into a new PostgreSQL database", runMigrateData},
	{"serve", "serve the public site (publication pages, Cite, experts, topics)", runServe},
	{"styles", "list the bundled citation styles", runStyles},
	{"user", "add and manage the editors' admin accounts", runUser},
}

// errUsage reports a usage error that has already been explained to the user.
var errUsage = errors.New("usage error")

// exitError lets a command choose its exit status.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Run executes the command line args and returns the process exit status.
func Run(ctx context.Context, args []string, io Stdio) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(io.Out)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, io, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		fmt.Fprintf(io.Err, "imprint %s: %v\n", c.name, err)
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	fmt.Fprintf(io.Err, "imprint: unknown command %q\n\n", args[0])
	usage(io.Err)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: imprint <command> [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	cs := append([]command(nil), commands...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	width := 0
	for _, c := range cs {
		width = max(width, len(c.name))
	}
	for _, c := range cs {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'imprint <command> -h' for a command's flags.")
}

// newFlagSet returns a flag set that writes its messages to io.Err and
// describes the command in its usage text.
func newFlagSet(io Stdio, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet("imprint "+name, flag.ContinueOnError)
	fs.SetOutput(io.Err)
	fs.Usage = func() {
		fmt.Fprintf(io.Err, "Usage: imprint %s %s\n\n%s\n\nFlags:\n", name, synopsis, strings.TrimSpace(description))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, mapping flag errors to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
