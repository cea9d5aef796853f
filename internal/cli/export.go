package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/imprintpub/imprint/bib"
	"github.com/imprintpub/imprint/csl"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

const exportDescription = `
Export publications from the database as BibTeX, BibLaTeX, RIS or CSL-JSON,
each written from the same CSL view of the record that the pages cite.

--topic keeps the publications filed under a topic or any topic below it,
--expert those a person contributed to in any role; given both, a
publication must match both. Only published publications are exported
unless --drafts is given. The output goes to standard output, or to the
file --out names, which is written only when the export succeeded.`

func runExport(ctx context.Context, stdio Stdio, args []string) error {
	fs := newFlagSet(stdio, "export", "--format bibtex|biblatex|ris|csljson [--out FILE] [--topic SLUG] [--expert SLUG] [--drafts] [--data DIR|--database URL]", exportDescription)
	format := fs.String("format", "", "output `format`: bibtex, biblatex, ris or csljson")
	out := fs.String("out", "", "write to this `file` instead of standard output")
	topic := fs.String("topic", "", "export only publications under the topic with this `slug`")
	expert := fs.String("expert", "", "export only publications by the person with this `slug`")
	drafts := fs.Bool("drafts", false, "export drafts too")
	dataDir := fs.String("data", "./imprint-data", "`directory` holding the database")
	database := fs.String("database", "", "database `location`: a postgres:// URL or an SQLite file (default $IMPRINT_DATABASE_URL, else DIR/imprint.db)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fmt.Fprintf(stdio.Err, "imprint export: unexpected argument %q\n", pos[0])
		fs.Usage()
		return errUsage
	}
	if !validFormat(bib.Format(*format)) {
		fmt.Fprintf(stdio.Err, "imprint export: --format %q: want bibtex, biblatex, ris or csljson\n", *format)
		return errUsage
	}
	st, err := openStore(ctx, *dataDir, *database)
	if err != nil {
		return err
	}
	defer st.Close()

	q := store.PublicationQuery{Status: model.StatusPublished, Subtree: true, Limit: store.MaxLimit}
	if *drafts {
		q.Status = ""
	}
	if *topic != "" {
		t, err := st.TopicBySlug(ctx, *topic)
		if err != nil {
			return fmt.Errorf("--topic %s: %w", *topic, err)
		}
		q.TopicID = t.ID
	}
	if *expert != "" {
		p, err := st.PersonBySlug(ctx, *expert)
		if err != nil {
			return fmt.Errorf("--expert %s: %w", *expert, err)
		}
		q.PersonID = p.ID
	}
	items, err := exportItems(ctx, st, q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := writeItems(&buf, items, bib.Format(*format), false); err != nil {
		return fmt.Errorf("write %s: %w", *format, err)
	}
	if *out == "" {
		_, err := stdio.Out.Write(buf.Bytes())
		return err
	}
	// Written beside the target and renamed, so that a failed export
	// never leaves half a file where the last good one was.
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--out %s: %w", *out, err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("--out %s: %w", *out, err)
	}
	fmt.Fprintf(stdio.Err, "%s: %d publications\n", *out, len(items))
	return nil
}

// exportItems returns the CSL view of every publication q matches, page by
// page.
func exportItems(ctx context.Context, st store.Store, q store.PublicationQuery) ([]csl.Item, error) {
	var items []csl.Item
	for {
		page, err := st.ListPublications(ctx, q)
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			items = append(items, page.Items[i].CSL())
		}
		if page.NextCursor == "" {
			return items, nil
		}
		q.Cursor = page.NextCursor
	}
}
