package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/internal/importer"
	"github.com/imprintpub/imprint/internal/related"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/sqlstore"
	"github.com/imprintpub/imprint/internal/store/storeopen"
)

const importDescription = `
Import references exported by a reference manager (BibTeX, BibLaTeX, RIS or
CSL-JSON, detected from the content) as publications and people.

A publication already stored with the same DOI, or with the same title,
year and first author, is updated with the fields the entry carries (empty
fields keep the stored values) and left alone when nothing changed.
Authors and editors are matched to stored people by name, initials
standing for given names only when one person fits.

New publications are drafts, for an editor to review before readers see
them, unless --publish is given; stored publications keep their status.
Each file is imported in one transaction: an invalid entry fails its file
with nothing written, unless --skip-invalid leaves such entries out and
lists them. --dry-run reports what would happen and writes nothing.`

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func runImport(ctx context.Context, stdio Stdio, args []string) error {
	fs := newFlagSet(stdio, "import", "[--dry-run] [--skip-invalid] [--publish] [--topic SLUG ...] [--verbose] [--data DIR|--database URL] FILE...", importDescription)
	dryRun := fs.Bool("dry-run", false, "report what would be imported without writing anything")
	skip := fs.Bool("skip-invalid", false, "leave invalid entries out (listed in the summary) instead of failing the file")
	publish := fs.Bool("publish", false, "make new publications published instead of drafts")
	verbose := fs.Bool("verbose", false, "list every entry with what was done and what it could not keep")
	var topics stringList
	fs.Var(&topics, "topic", "file every imported publication under the topic with this `slug` (repeatable)")
	dataDir := fs.String("data", "./imprint-data", "`directory` holding the database")
	database := fs.String("database", "", "database `location`: a postgres:// URL or an SQLite file (default $IMPRINT_DATABASE_URL, else DIR/imprint.db)")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fmt.Fprintln(stdio.Err, "imprint import: no FILE given")
		fs.Usage()
		return errUsage
	}
	st, err := openStore(ctx, *dataDir, *database)
	if err != nil {
		return err
	}
	defer st.Close()

	opts := importer.Options{SkipInvalid: *skip, Topics: topics, Publish: *publish, DryRun: *dryRun}
	failed := 0
	for _, name := range files {
		data, err := readInput(stdio.In, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		display := name
		if name == "-" {
			display = "standard input"
		}
		opts.Format = ""
		if bib.Detect(data) == "" {
			opts.Format = formatFromExt(name)
		}
		sum, err := importer.ImportFile(ctx, st, display, data, opts)
		if err != nil {
			fmt.Fprintf(stdio.Err, "imprint import: %v\n", err)
			failed++
			continue
		}
		printSummary(stdio.Out, sum, *dryRun, *verbose)
		if !*dryRun {
			if sum.Created+sum.Updated > rebuildAbove {
				// A bulk write: plan the related rebuild, and what
				// follows, on statistics that know of it.
				if err := st.Analyze(ctx); err != nil {
					fmt.Fprintf(stdio.Err, "imprint import: %s: %v\n", sum.File, err)
				}
			}
			if err := refreshRelated(ctx, st, sum); err != nil {
				// The import itself landed; the lists catch up on the
				// next save or rebuild, and pages rank on the fly meanwhile.
				fmt.Fprintf(stdio.Err, "imprint import: %s: related lists not refreshed: %v\n", sum.File, err)
			}
		}
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d files not imported", failed, len(files))}
	}
	return nil
}

// rebuildAbove is the number of changed publications past which one
// rebuild of every related list costs less than refreshing each
// neighbourhood.
const rebuildAbove = 200

// refreshRelated brings the stored "More on This Topic" lists up to date
// with what an import created or changed.
func refreshRelated(ctx context.Context, st *sqlstore.Store, sum *importer.Summary) error {
	var changed []int64
	for _, e := range sum.Entries {
		if e.Action == importer.Created || e.Action == importer.Updated {
			changed = append(changed, e.ID)
		}
	}
	return refreshLists(ctx, st, changed)
}

// refreshLists brings the stored related lists up to date with
// publications created or changed in bulk, their earlier terms unknown:
// the neighbourhoods of all of them at once, or every list when there are
// more than rebuildAbove.
func refreshLists(ctx context.Context, st *sqlstore.Store, changed []int64) error {
	if len(changed) == 0 {
		return nil
	}
	if len(changed) > rebuildAbove {
		_, err := related.Rebuild(ctx, st)
		return err
	}
	before := make(map[int64]store.Terms, len(changed))
	for _, id := range changed {
		before[id] = store.Terms{}
	}
	_, err := related.RefreshEach(ctx, st, before)
	return err
}

// formatFromExt names the format of a file whose content does not say.
func formatFromExt(name string) bib.Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".bib", ".bibtex":
		return bib.BibTeX
	case ".ris":
		return bib.RIS
	case ".json":
		return bib.CSLJSON
	}
	return ""
}

// openStore opens the database as serve does (see databaseLocation).
func openStore(ctx context.Context, dataDir, database string) (*sqlstore.Store, error) {
	location, err := databaseLocation(database, dataDir)
	if err != nil {
		return nil, err
	}
	st, err := storeopen.Open(ctx, location)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", describeLocation(location), err)
	}
	return st, nil
}

func printSummary(w io.Writer, sum *importer.Summary, dryRun, verbose bool) {
	verb := ""
	if dryRun {
		verb = " (dry run: nothing written)"
	}
	fmt.Fprintf(w, "%s: %d created, %d updated, %d unchanged, %d skipped; %d people created%s\n",
		sum.File, sum.Created, sum.Updated, sum.Unchanged, len(sum.Skipped), sum.PeopleCreated, verb)
	for _, e := range sum.Skipped {
		fmt.Fprintf(w, "  skipped: %v\n", e)
	}
	for _, e := range sum.Entries {
		if !verbose && len(e.Notes) == 0 {
			continue
		}
		if verbose {
			fmt.Fprintf(w, "  %-9s %s (entry %q)\n", e.Action, e.Slug, e.Key)
		}
		for _, n := range e.Notes {
			if verbose || strings.Contains(n, "could be any of") {
				fmt.Fprintf(w, "  note: entry %q: %s\n", e.Key, n)
			}
		}
	}
}
