package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/imprintpub/imprint/internal/store/storeopen"
	"github.com/imprintpub/imprint/internal/store/transfer"
)

const migrateDataDescription = `
Copy everything in one Imprint database — publications, people, topics,
regions, related lists, harvest tombstones, accounts, revisions and the
audit log — into a new PostgreSQL database, keeping every ID and time.

The target must be empty: imprint creates its schema and copies in one
transaction, so a failed copy leaves nothing behind. Afterwards each table
is verified by its row count and a digest of its rows read back from both
databases, and the counts are printed. Uploaded files stay where they are:
point the new servers' --data at the same upload directory (or copy it).`

func runMigrateData(ctx context.Context, stdio Stdio, args []string) error {
	fs := newFlagSet(stdio, "migrate-data", "--from sqlite://PATH|postgres://… --to postgres://…", migrateDataDescription)
	from := fs.String("from", "", "`location` to copy from: sqlite://PATH, an SQLite file, or postgres://…")
	to := fs.String("to", "", "PostgreSQL `URL` to copy into (an empty database)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stdio.Err, "imprint migrate-data: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	if *from == "" || *to == "" {
		fmt.Fprintln(stdio.Err, "imprint migrate-data: both --from and --to are required")
		fs.Usage()
		return errUsage
	}
	src, err := storeopen.Parse(*from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	dst, err := storeopen.Parse(*to)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	if dst.Backend != storeopen.PostgreSQL {
		return fmt.Errorf("--to %s: the target must be a postgres:// URL", dst)
	}
	if src.Backend == storeopen.SQLite {
		// Opening a missing file would create an empty database and copy
		// nothing, which looks like success.
		if _, err := os.Stat(src.Path); err != nil {
			return fmt.Errorf("--from %s: %w", src, err)
		}
	}
	if src.String() == dst.String() {
		return errors.New("migrate-data: --from and --to name the same database")
	}
	srcStore, err := src.Open(ctx)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	defer srcStore.Close()
	dstStore, err := dst.Open(ctx)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	defer dstStore.Close()

	fmt.Fprintf(stdio.Err, "copying %s → %s\n", src, dst)
	rep, err := transfer.Copy(ctx, srcStore.DB(), dstStore.DB(), transfer.Options{})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdio.Out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\trows\tverified\t")
	for _, t := range rep.Tables {
		fmt.Fprintf(tw, "%s\t%d\t%.12s\t\n", t.Name, t.Rows, t.Digest)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdio.Out, "copied %d rows in %d tables in %s; counts and digests match\n", rep.Rows(), len(rep.Tables), rep.Duration.Round(1e6))
	return nil
}
