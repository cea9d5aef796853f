package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/related"
)

const demoDescription = `
Work with generated demo content.

  generate --count N [--seed S]   add N realistic publications to the database

generate writes a catalogue shaped like a think tank's — commentary,
op-eds, articles, reports, podcasts, events and books in their usual
proportions, with contributors, the demo topics and regions, dates over
2001–2025 and searchable text — to test and benchmark against. Every
generated publication is published, and every "More on This Topic" list
is ranked and stored before it ends. The same seed gives the same records,
and records that already exist are left alone, so running it again changes
nothing; a larger --count adds the rest.`

func runDemo(ctx context.Context, stdio Stdio, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(stdio.Err, "Usage: imprint demo generate --count N [--seed S] [--data DIR] [--database URL]\n%s\n", demoDescription)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if args[0] != "generate" {
		fmt.Fprintf(stdio.Err, "imprint demo: unknown subcommand %q (want generate)\n", args[0])
		return errUsage
	}
	return runDemoGenerate(ctx, stdio, args[1:])
}

func runDemoGenerate(ctx context.Context, stdio Stdio, args []string) error {
	fs := newFlagSet(stdio, "demo generate", "--count N [--seed S] [--data DIR] [--database URL]", demoDescription)
	count := fs.Int("count", 0, "how many publications to generate (required, 1 to "+strconv.Itoa(demo.MaxGenerate)+")")
	seed := fs.Uint64("seed", 1, "`seed` of the generated catalogue: the same seed gives the same records")
	dataDir := fs.String("data", "./imprint-data", "`directory` holding the database")
	database := fs.String("database", "", "database `location`: a postgres:// URL or an SQLite file (default $IMPRINT_DATABASE_URL, else DIR/imprint.db)")
	quiet := fs.Bool("quiet", false, "do not report progress on standard error")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stdio.Err, "imprint demo generate: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	if *count < 1 || *count > demo.MaxGenerate {
		fmt.Fprintf(stdio.Err, "imprint demo generate: --count %d: want 1 to %d publications\n", *count, demo.MaxGenerate)
		fs.Usage()
		return errUsage
	}
	st, err := openStore(ctx, *dataDir, *database)
	if err != nil {
		return err
	}
	defer st.Close()

	start := time.Now()
	opts := demo.Options{Count: *count, Seed: *seed}
	if !*quiet {
		// About twenty progress lines, whatever the count.
		step := max(*count/20, 1000)
		next := step
		opts.Progress = func(done, total int) {
			if done >= next || done == total {
				fmt.Fprintf(stdio.Err, "%d of %d publications (%s)\n", done, total, time.Since(start).Round(time.Second))
				next = done + step
			}
		}
	}
	stats, err := demo.Generate(ctx, st, opts)
	if err != nil {
		return fmt.Errorf("after %d publications: %w", stats.Publications, err)
	}
	if err := st.Analyze(ctx); err != nil {
		return err
	}
	generated := time.Since(start)
	lists := 0
	if stats.Publications > 0 {
		if !*quiet {
			fmt.Fprintf(stdio.Err, "ranking related lists (%s)\n", generated.Round(time.Second))
		}
		if lists, err = related.Rebuild(ctx, st); err != nil {
			return err
		}
	}
	took := time.Since(start)
	perSecond := 0.0
	if generated > 0 {
		perSecond = float64(stats.Publications) / generated.Seconds()
	}
	fmt.Fprintf(stdio.Out, "generated %d publications (%d already there), %d people, %d topics, %d regions in %s (%.0f publications/s); ranked %d related lists in %s\n",
		stats.Publications, *count-stats.Publications, stats.People, stats.Topics, stats.Regions,
		generated.Round(time.Millisecond), perSecond, lists, (took - generated).Round(time.Millisecond))
	return nil
}
