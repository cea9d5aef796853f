package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

const pubColumns = `p.id, p.slug, p.type, p.title, p.subtitle, p.issued, p.container_title, p.volume, p.issue,
	p.number, p.pages, p.publisher, p.place, p.issn, p.isbn, p.doi, p.url, p.full_text, p.summary, p.language,
	p.status, p.created_at, p.updated_at, p.published_at, p.publish_at, p.deleted_at, p.created_by, p.full_text_pdf`

func scanPublication(sc interface{ Scan(...any) error }, p *model.Publication) error {
	var issued, typ, status string
	var created, updated int64
	var published, publishAt, deleted, createdBy sql.NullInt64
	v := &p.Venue
	err := sc.Scan(&p.ID, &p.Slug, &typ, &p.Title, &p.Subtitle, &issued, &v.ContainerTitle, &v.Volume, &v.Issue,
		&v.Number, &v.Pages, &v.Publisher, &v.Place, &v.ISSN, &v.ISBN, &p.DOI, &p.URL, &p.FullText, &p.Summary,
		&p.Language, &status, &created, &updated, &published, &publishAt, &deleted, &createdBy, &p.FullTextPDF)
	if err != nil {
		return err
	}
	p.Type, p.Status = model.Type(typ), model.Status(status)
	p.Issued = readDate(issued)
	p.CreatedAt, p.UpdatedAt, p.PublishedAt = fromMicros(created), fromMicros(updated), fromNullMicros(published)
	p.PublishAt, p.DeletedAt, p.CreatedBy = fromNullMicros(publishAt), fromNullMicros(deleted), createdBy.Int64
	return nil
}

// visible is the condition, on publications p, that readers may see a
// publication: published and not in the trash. Every public list, count
// and harvest uses it, so that a trashed publication is like an
// unpublished one everywhere but its own URL.
const visible = `p.status = 'published' AND p.deleted_at IS NULL`

// readDate reads a stored date; text the model cannot read (written by an
// older version, an import or by hand) is kept as a raw date so that the
// page still shows it.
func readDate(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		return model.Date{Raw: s}
	}
	return d
}

// Publication implements store.Publications.
func (s *Store) Publication(ctx context.Context, id int64) (*model.Publication, error) {
	return s.publicationWhere(ctx, "p.id = ?", id, fmt.Sprintf("publication %d", id))
}

// PublicationBySlug implements store.Publications.
func (s *Store) PublicationBySlug(ctx context.Context, slug string) (*model.Publication, error) {
	return s.publicationWhere(ctx, "p.slug = ?", slug, fmt.Sprintf("publication %q", slug))
}

func (s *Store) publicationWhere(ctx context.Context, where string, arg any, what string) (*model.Publication, error) {
	var p model.Publication
	err := s.read(ctx, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, s.q(`SELECT `+pubColumns+` FROM publications p WHERE `+where), arg)
		if err := scanPublication(row, &p); err != nil {
			if isNoRows(err) {
				return notFound("%s", what)
			}
			return fmt.Errorf("read %s: %w", what, err)
		}
		ps := []*model.Publication{&p}
		if err := s.loadLinks(ctx, tx, ps); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// PublicationsByID implements store.Publications.
func (s *Store) PublicationsByID(ctx context.Context, ids []int64) ([]model.Publication, error) {
	var out []model.Publication
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.publicationsIn(ctx, tx, ids)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read publications by ID: %w", err)
	}
	return out, nil
}

// PublicationKeys implements store.Publications.
func (s *Store) PublicationKeys(ctx context.Context) ([]store.PublicationKey, error) {
	var out []store.PublicationKey
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT p.id, p.slug, p.doi, p.title, p.subtitle, p.issued,
				p.deleted_at IS NOT NULL, COALESCE(pe.family, ''), COALESCE(pe.literal, '')
			FROM publications p
			LEFT JOIN contributions c ON c.publication_id = p.id
				AND c.position = (SELECT MIN(c2.position) FROM contributions c2 WHERE c2.publication_id = p.id)
			LEFT JOIN people pe ON pe.id = c.person_id
			ORDER BY p.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k store.PublicationKey
			var issued string
			if err := rows.Scan(&k.ID, &k.Slug, &k.DOI, &k.Title, &k.Subtitle, &issued, &k.Trashed,
				&k.FirstFamily, &k.FirstLiteral); err != nil {
				return err
			}
			k.Issued = readDate(issued)
			out = append(out, k)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read publication keys: %w", err)
	}
	return out, nil
}

// subtree returns the IDs of the term id of table (topics or regions)
// and of every term below it, as a list for SQL's IN: integers read from
// the database, safe to write into a statement. A term that does not
// exist gives its own ID, which no link names.
func (s *Store) subtree(ctx context.Context, table string, id int64) (string, error) {
	var ids []string
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.q(`WITH RECURSIVE tree (id) AS (SELECT CAST(? AS BIGINT)
			UNION SELECT c.id FROM `+table+` c JOIN tree t ON c.parent_id = t.id) SELECT id FROM tree ORDER BY id`), id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				return err
			}
			ids = append(ids, strconv.FormatInt(n, 10))
		}
		return rows.Err()
	})
	if err != nil {
		return "", fmt.Errorf("%s under %d: %w", table, id, err)
	}
	return strings.Join(ids, ", "), nil
}

// linkCond is a condition on a link table (topics, regions,
// contributors) in two forms with the same arguments: in, which reads the
// linked publications' IDs once, for the count and for a page of a few
// publications among many; exists, which tests each publication as the
// newest are walked, for a page of a filter most publications pass, where
// reading the tens of thousands of linked IDs first would cost a hundred
// times more (the first page of a topic of 85,000 of 100,000 publications
// on SQLite: 100 ms against 0.2 ms).
type linkCond struct{ in, exists string }

func newLinkCond(table, test string) linkCond {
	return linkCond{
		in:     `p.id IN (SELECT l.publication_id FROM ` + table + ` l WHERE ` + test + `)`,
		exists: `EXISTS (SELECT 1 FROM ` + table + ` l WHERE l.publication_id = p.id AND ` + test + `)`,
	}
}

// walkLinks reports whether a page should walk the newest publications,
// testing each, rather than read the matches' IDs first: of matches
// among about last publications, reaching rows of them walks rows × last
// / matches publications, against reading every match.
func walkLinks(matches, rows int, last int64) bool {
	return matches > 0 && int64(matches)*int64(matches) > int64(rows)*last
}

// cursor marks the last item of a page: its issued sort key and ID.
type cursor struct {
	sortKey int
	id      int64
}

func (c cursor) String() string { return strconv.Itoa(c.sortKey) + "." + strconv.FormatInt(c.id, 10) }

func parseCursor(s string) (cursor, error) {
	a, b, ok := strings.Cut(s, ".")
	k, err1 := strconv.Atoi(a)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return cursor{}, fmt.Errorf("cursor %q: %w: not one this store returned", s, store.ErrInvalid)
	}
	return cursor{k, id}, nil
}

// ListPublications implements store.Publications.
func (s *Store) ListPublications(ctx context.Context, q store.PublicationQuery) (*store.PublicationPage, error) {
	var args []any
	var conds []string
	// With a title filter the best plan reads publications_admin, which
	// holds the titles, and checks type and status only for the rows
	// whose title matches; comparing them as expressions keeps either
	// engine from taking their indexes instead and reading every whole
	// row of that type or status.
	column := func(c string) string { return c }
	if strings.TrimSpace(q.Title) != "" {
		column = func(c string) string { return "(" + c + " || '')" }
	}
	if q.Type != "" {
		conds = append(conds, column("p.type")+" = ?")
		args = append(args, string(q.Type))
	}
	if q.Status != "" {
		conds = append(conds, column("p.status")+" = ?")
		args = append(args, string(q.Status))
	}
	// links are the conditions on the link tables, each in two forms
	// (see linkCond), at linkAt in conds.
	var links []linkCond
	var linkAt []int
	addLink := func(l linkCond) {
		links, linkAt = append(links, l), append(linkAt, len(conds))
		conds = append(conds, l.in)
	}
	for _, f := range []struct {
		id          int64
		table, link string
		linkColumn  string
	}{
		{q.TopicID, "topics", "publication_topics", "topic_id"},
		{q.RegionID, "regions", "publication_regions", "region_id"},
	} {
		if f.id == 0 {
			continue
		}
		if !q.Subtree {
			addLink(newLinkCond(f.link, `l.`+f.linkColumn+` = ?`))
			args = append(args, f.id)
			continue
		}
		// The subtree's IDs are written into the statement: given a
		// recursive query, PostgreSQL cannot tell a topic of a hundred
		// publications from one of most, and counted either by testing
		// every publication (176 ms at 100,000; 18 ms with the IDs).
		ids, err := s.subtree(ctx, f.table, f.id)
		if err != nil {
			return nil, fmt.Errorf("list publications %+v: %w", q, err)
		}
		addLink(newLinkCond(f.link, `l.`+f.linkColumn+` IN (`+ids+`)`))
	}
	if q.PersonID != 0 {
		addLink(newLinkCond("contributions", `l.person_id = ?`))
		args = append(args, q.PersonID)
	}
	if q.Trashed {
		conds = append(conds, "p.deleted_at IS NOT NULL")
	} else {
		conds = append(conds, "p.deleted_at IS NULL")
	}
	if q.CreatedBy != 0 {
		conds = append(conds, "p.created_by = ?")
		args = append(args, q.CreatedBy)
	}
	var title *textFilter
	if needle := strings.TrimSpace(q.Title); needle != "" {
		title = newTextFilter(needle)
		conds = append(conds, `(lower(p.title) LIKE ? ESCAPE '!' OR lower(p.subtitle) LIKE ? ESCAPE '!')`)
		args = append(args, title.pattern, title.pattern)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}

	limit := q.Limit
	if limit <= 0 {
		limit = store.DefaultLimit
	}
	limit = min(limit, store.MaxLimit)

	var after *cursor
	if q.Cursor != "" {
		c, err := parseCursor(q.Cursor)
		if err != nil {
			return nil, err
		}
		after = &c
	}
	if title != nil {
		// A text filter cannot use an index: the candidates are read in
		// one pass, which counts and pages them here, rather than in two
		// (a count and a page). The engines fold the case of ASCII
		// letters only, so the pattern may find a superset, which the
		// pass filters.
		page, err := s.listFiltered(ctx, `SELECT p.id, p.issued_sort, p.title, p.subtitle FROM publications p`+where+
			` ORDER BY p.issued_sort DESC, p.id DESC`, slices.Clone(args), title, after, limit, max(q.Offset, 0))
		if err != nil {
			return nil, fmt.Errorf("list publications %+v: %w", q, err)
		}
		return page, nil
	}

	page := &store.PublicationPage{}
	pageConds, pageArgs := conds, args
	walkConds := slices.Clone(conds)
	for i, l := range links {
		walkConds[linkAt[i]] = l.exists
	}
	offset := max(q.Offset, 0)
	var cursorCond string
	if after != nil {
		c := *after
		cursorCond = "(p.issued_sort < ? OR (p.issued_sort = ? AND p.id < ?))"
		pageArgs = append(append([]any{}, args...), c.sortKey, c.sortKey, c.id)
		offset = 0
	}

	err := s.read(ctx, func(tx *sql.Tx) error {
		// The highest ID stands for the catalogue's size, for walkLinks.
		var maxID int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*), (SELECT COALESCE(MAX(id), 0) FROM publications)
			FROM publications p`+where), args...).Scan(&page.Total, &maxID); err != nil {
			return err
		}
		if len(links) > 0 && walkLinks(page.Total, offset+limit+1, maxID) {
			pageConds = walkConds
		}
		if cursorCond != "" {
			pageConds = append(slices.Clone(pageConds), cursorCond)
		}
		pageWhere := ""
		if len(pageConds) > 0 {
			pageWhere = " WHERE " + strings.Join(pageConds, " AND ")
		}
		listArgs := append(slices.Clone(pageArgs), limit+1, offset)
		rows, err := tx.QueryContext(ctx, s.q(`SELECT `+pubColumns+`, p.issued_sort FROM publications p`+pageWhere+
			` ORDER BY p.issued_sort DESC, p.id DESC LIMIT ? OFFSET ?`), listArgs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var ps []*model.Publication
		var last cursor
		for rows.Next() {
			p := new(model.Publication)
			var sortKey int
			if err := scanPublication(scanWithExtra{rows, &sortKey}, p); err != nil {
				return err
			}
			if len(ps) == limit {
				page.NextCursor = last.String()
				break
			}
			ps = append(ps, p)
			last = cursor{sortKey, p.ID}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if err := s.loadLinks(ctx, tx, ps); err != nil {
			return err
		}
		page.Items = make([]model.Publication, len(ps))
		for i, p := range ps {
			page.Items[i] = *p
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list publications %+v: %w", q, err)
	}
	return page, nil
}

// listFiltered runs query, which returns the ID, issued sort key, title
// and subtitle of every candidate newest first, keeps the candidates whose
// title or subtitle contains f's text, and returns the page of them after
// the cursor (or offset) with their links.
func (s *Store) listFiltered(ctx context.Context, query string, args []any, f *textFilter, after *cursor, limit, offset int) (*store.PublicationPage, error) {
	page := &store.PublicationPage{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.q(query), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var keys []cursor
		for rows.Next() {
			var c cursor
			var title, subtitle string
			if err := rows.Scan(&c.id, &c.sortKey, &title, &subtitle); err != nil {
				return err
			}
			if !f.match(title) && !f.match(subtitle) {
				continue
			}
			page.Total++
			if after != nil && (c.sortKey > after.sortKey || (c.sortKey == after.sortKey && c.id >= after.id)) {
				continue
			}
			keys = append(keys, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if after == nil {
			keys = keys[min(offset, len(keys)):]
		}
		if len(keys) > limit {
			keys = keys[:limit]
			page.NextCursor = keys[limit-1].String()
		}
		ids := make([]int64, len(keys))
		for i, k := range keys {
			ids[i] = k.id
		}
		ps, err := s.publicationsIn(ctx, tx, ids)
		if err != nil {
			return err
		}
		page.Items = ps
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// publicationsIn reads the publications with the given IDs, with their
// links, in the order given, inside tx.
func (s *Store) publicationsIn(ctx context.Context, tx *sql.Tx, ids []int64) ([]model.Publication, error) {
	byID := make(map[int64]*model.Publication, len(ids))
	for _, chunk := range chunks(ids, 500) {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT `+pubColumns+` FROM publications p WHERE p.id IN (`+placeholders(len(chunk))+`)`), int64Args(chunk)...)
		if err != nil {
			return nil, err
		}
		var ps []*model.Publication
		for rows.Next() {
			p := new(model.Publication)
			if err := scanPublication(rows, p); err != nil {
				rows.Close()
				return nil, err
			}
			ps = append(ps, p)
			byID[p.ID] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if err := s.loadLinks(ctx, tx, ps); err != nil {
			return nil, err
		}
	}
	out := make([]model.Publication, 0, len(byID))
	seen := make(map[int64]bool, len(byID))
	for _, id := range ids {
		if p, ok := byID[id]; ok && !seen[id] {
			out = append(out, *p)
			seen[id] = true
		}
	}
	return out, nil
}

// scanWithExtra scans a publication row followed by one more column.
type scanWithExtra struct {
	rows  *sql.Rows
	extra any
}

func (s scanWithExtra) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra)...) }

// loadLinks fills the contributions, topics, regions and related refs of
// ps, with one query per kind of link.
func (s *Store) loadLinks(ctx context.Context, tx *sql.Tx, ps []*model.Publication) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[int64]*model.Publication, len(ps))
	ids := make([]int64, len(ps))
	for i, p := range ps {
		byID[p.ID] = p
		ids[i] = p.ID
		p.Contributions, p.Topics, p.Regions, p.Related = nil, nil, nil, nil
	}
	in := placeholders(len(ids))
	args := int64Args(ids)

	rows, err := tx.QueryContext(ctx, s.q(`SELECT c.publication_id, c.role, `+prefixed("pe.", personColumns)+`
		FROM contributions c JOIN people pe ON pe.id = c.person_id
		WHERE c.publication_id IN (`+in+`) ORDER BY c.publication_id, c.position`), args...)
	if err != nil {
		return fmt.Errorf("contributions: %w", err)
	}
	for rows.Next() {
		var pubID int64
		var role string
		var c model.Contribution
		err := scanPerson(prependScan{rows, []any{&pubID, &role}}, &c.Person)
		if err != nil {
			rows.Close()
			return fmt.Errorf("contributions: %w", err)
		}
		c.Role = model.Role(role)
		byID[pubID].Contributions = append(byID[pubID].Contributions, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("contributions: %w", err)
	}

	for _, k := range []struct {
		table, link, column string
		add                 func(p *model.Publication, t term)
	}{
		{"topics", "publication_topics", "topic_id", func(p *model.Publication, t term) { p.Topics = append(p.Topics, model.Topic(t)) }},
		{"regions", "publication_regions", "region_id", func(p *model.Publication, t term) { p.Regions = append(p.Regions, model.Region(t)) }},
	} {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT l.publication_id, t.id, t.parent_id, t.slug, t.name, t.description
			FROM `+k.link+` l JOIN `+k.table+` t ON t.id = l.`+k.column+`
			WHERE l.publication_id IN (`+in+`) ORDER BY l.publication_id, l.position`), args...)
		if err != nil {
			return fmt.Errorf("%s: %w", k.table, err)
		}
		for rows.Next() {
			var pubID int64
			var t term
			var parent sql.NullInt64
			if err := rows.Scan(&pubID, &t.ID, &parent, &t.Slug, &t.Name, &t.Description); err != nil {
				rows.Close()
				return fmt.Errorf("%s: %w", k.table, err)
			}
			t.ParentID = parent.Int64
			k.add(byID[pubID], t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: %w", k.table, err)
		}
	}

	rows, err = tx.QueryContext(ctx, s.q(`SELECT r.publication_id, p.id, p.slug
		FROM related_overrides r JOIN publications p ON p.id = r.related_id
		WHERE r.publication_id IN (`+in+`) ORDER BY r.publication_id, r.position`), args...)
	if err != nil {
		return fmt.Errorf("related overrides: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pubID int64
		var ref model.Ref
		if err := rows.Scan(&pubID, &ref.ID, &ref.Slug); err != nil {
			return fmt.Errorf("related overrides: %w", err)
		}
		byID[pubID].Related = append(byID[pubID].Related, ref)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("related overrides: %w", err)
	}
	return nil
}

// prependScan scans leading columns into extra before the record's own.
type prependScan struct {
	rows  *sql.Rows
	extra []any
}

func (s prependScan) Scan(dest ...any) error { return s.rows.Scan(append(s.extra, dest...)...) }

// prefixed qualifies each column of a comma-separated list.
func prefixed(prefix, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// CreatePublication implements store.Publications.
func (s *Store) CreatePublication(ctx context.Context, p *model.Publication) error {
	if err := p.Validate(); err != nil {
		return err
	}
	now := s.timestamp()
	q := *p
	q.CreatedAt, q.UpdatedAt = now, now
	// A new publication is never in the trash: TrashPublication puts it
	// there.
	q.DeletedAt = time.Time{}
	normalizeSchedule(&q, now)
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.resolve(ctx, tx, &q); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO publications (slug, type, title, subtitle, issued,
			issued_sort, container_title, volume, issue, number, pages, publisher, place, issn, isbn, doi, url,
			full_text, summary, language, status, full_text_pdf, publish_at, created_by, created_at, updated_at,
			published_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			append(pubArgs(&q), nullID(q.CreatedBy), micros(q.CreatedAt), micros(q.UpdatedAt), nullMicros(q.PublishedAt))...).Scan(&q.ID)
		if err != nil {
			return err
		}
		if q.IsPublished() {
			if err := s.unbury(ctx, tx, q.Slug); err != nil {
				return err
			}
		}
		return s.writeLinks(ctx, tx, &q)
	})
	if err != nil {
		return s.classify(err, fmt.Sprintf("create publication %q", p.Slug))
	}
	*p = q
	return nil
}

// pubArgs lists the values of the publication row that an editor sets,
// in the order of the INSERT and UPDATE columns from slug to publish_at.
func pubArgs(p *model.Publication) []any {
	v := p.Venue
	return []any{p.Slug, string(p.Type), p.Title, p.Subtitle, p.Issued.String(), p.Issued.SortKey(),
		v.ContainerTitle, v.Volume, v.Issue, v.Number, v.Pages, v.Publisher, v.Place, v.ISSN, v.ISBN, p.DOI, p.URL,
		p.FullText, p.Summary, p.Language, string(p.Status), p.FullTextPDF, nullMicros(p.PublishAt)}
}

// normalizeSchedule sets the publishing times of p, saved at now: a
// published publication has been published since PublishedAt (now, the
// first time), and only a scheduled one has a time to go live.
func normalizeSchedule(p *model.Publication, now time.Time) {
	if p.Status == model.StatusPublished && p.PublishedAt.IsZero() {
		p.PublishedAt = now
	}
	if p.Status != model.StatusScheduled {
		p.PublishAt = time.Time{}
	}
	if !p.PublishAt.IsZero() {
		// As it reads back: UTC, in microseconds.
		p.PublishAt = fromMicros(micros(p.PublishAt))
	}
}

// UpdatePublication implements store.Publications.
func (s *Store) UpdatePublication(ctx context.Context, p *model.Publication) error {
	if err := p.Validate(); err != nil {
		return err
	}
	now := s.timestamp()
	q := *p
	q.UpdatedAt = now
	normalizeSchedule(&q, now)
	err := s.write(ctx, func(tx *sql.Tx) error {
		// Who created it and when, and whether it is in the trash, are
		// the store's to keep: an edit (or a restored revision) does not
		// change them.
		var created int64
		var createdBy, deleted sql.NullInt64
		err := tx.QueryRowContext(ctx, s.q(`SELECT created_at, created_by, deleted_at FROM publications WHERE id = ?`), q.ID).
			Scan(&created, &createdBy, &deleted)
		if isNoRows(err) {
			return notFound("publication %d", q.ID)
		}
		if err != nil {
			return err
		}
		q.CreatedAt, q.CreatedBy, q.DeletedAt = fromMicros(created), createdBy.Int64, fromNullMicros(deleted)
		// Harvesters must learn of a slug that stops being published
		// (see harvest.go), before the old links are replaced.
		stays := ""
		if q.IsPublished() {
			stays = q.Slug
			if err := s.unbury(ctx, tx, q.Slug); err != nil {
				return err
			}
		}
		if err := s.bury(ctx, tx, q.ID, stays, now); err != nil {
			return err
		}
		if err := s.resolve(ctx, tx, &q); err != nil {
			return err
		}
		args := append(pubArgs(&q), micros(q.UpdatedAt), nullMicros(q.PublishedAt), q.ID)
		_, err = tx.ExecContext(ctx, s.q(`UPDATE publications SET slug = ?, type = ?, title = ?, subtitle = ?,
			issued = ?, issued_sort = ?, container_title = ?, volume = ?, issue = ?, number = ?, pages = ?,
			publisher = ?, place = ?, issn = ?, isbn = ?, doi = ?, url = ?, full_text = ?, summary = ?,
			language = ?, status = ?, full_text_pdf = ?, publish_at = ?, updated_at = ?, published_at = ?
			WHERE id = ?`), args...)
		if err != nil {
			return err
		}
		for _, table := range []string{"contributions", "publication_topics", "publication_regions", "related_overrides"} {
			if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM `+table+` WHERE publication_id = ?`), q.ID); err != nil {
				return err
			}
		}
		return s.writeLinks(ctx, tx, &q)
	})
	if err != nil {
		return s.classify(err, fmt.Sprintf("update publication %d (%q)", p.ID, p.Slug))
	}
	*p = q
	return nil
}

// DeletePublication implements store.Publications.
// A published publication leaves a tombstone, written in the same
// transaction, so that harvesters learn it is gone.
func (s *Store) DeletePublication(ctx context.Context, id int64) error {
	what := fmt.Sprintf("publication %d", id)
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.bury(ctx, tx, id, "", s.timestamp()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM publications WHERE id = ?`), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound("%s", what)
		}
		return nil
	})
	return s.classify(err, "delete "+what)
}

// resolve replaces every reference in p (contributors, topics, regions,
// related) by the full record it names, by ID or else by slug, inside tx.
// References to nothing are reported together as field errors. Repeated
// topics, regions and related entries are dropped; a person may appear in
// several roles.
func (s *Store) resolve(ctx context.Context, tx *sql.Tx, p *model.Publication) error {
	var fields []model.FieldError
	bad := func(field, format string, args ...any) {
		fields = append(fields, model.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	for i := range p.Contributions {
		ref := &p.Contributions[i].Person
		where, arg := "id = ?", any(ref.ID)
		if ref.ID == 0 {
			where, arg = "slug = ?", ref.Slug
		}
		row := tx.QueryRowContext(ctx, s.q(`SELECT `+personColumns+` FROM people WHERE `+where), arg)
		var person model.Person
		if err := scanPerson(row, &person); err != nil {
			if !isNoRows(err) {
				return err
			}
			bad(fmt.Sprintf("Contributions[%d].Person", i), "no person %s", refText(ref.ID, ref.Slug))
			continue
		}
		*ref = person
	}
	resolveTerms := func(k termKind, field string, refs []term) ([]term, error) {
		var out []term
		seen := map[int64]bool{}
		for i, r := range refs {
			where, arg := "id = ?", any(r.ID)
			if r.ID == 0 {
				where, arg = "slug = ?", r.Slug
			}
			var t term
			var parent sql.NullInt64
			err := tx.QueryRowContext(ctx, s.q(`SELECT id, parent_id, slug, name, description FROM `+k.table+` WHERE `+where), arg).
				Scan(&t.ID, &parent, &t.Slug, &t.Name, &t.Description)
			if isNoRows(err) {
				bad(fmt.Sprintf("%s[%d]", field, i), "no %s %s", k.record, refText(r.ID, r.Slug))
				continue
			}
			if err != nil {
				return nil, err
			}
			t.ParentID = parent.Int64
			if !seen[t.ID] {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
		return out, nil
	}
	topics := make([]term, len(p.Topics))
	for i, t := range p.Topics {
		topics[i] = term(t)
	}
	ts, err := resolveTerms(topicKind, "Topics", topics)
	if err != nil {
		return err
	}
	p.Topics = p.Topics[:0]
	for _, t := range ts {
		p.Topics = append(p.Topics, model.Topic(t))
	}
	regions := make([]term, len(p.Regions))
	for i, r := range p.Regions {
		regions[i] = term(r)
	}
	rs, err := resolveTerms(regionKind, "Regions", regions)
	if err != nil {
		return err
	}
	p.Regions = p.Regions[:0]
	for _, r := range rs {
		p.Regions = append(p.Regions, model.Region(r))
	}
	var related []model.Ref
	seen := map[int64]bool{}
	for i, r := range p.Related {
		where, arg := "id = ?", any(r.ID)
		if r.ID == 0 {
			where, arg = "slug = ?", r.Slug
		}
		var ref model.Ref
		err := tx.QueryRowContext(ctx, s.q(`SELECT id, slug FROM publications WHERE `+where), arg).Scan(&ref.ID, &ref.Slug)
		if isNoRows(err) {
			bad(fmt.Sprintf("Related[%d]", i), "no publication %s", refText(r.ID, r.Slug))
			continue
		}
		if err != nil {
			return err
		}
		if ref.ID == p.ID {
			bad(fmt.Sprintf("Related[%d]", i), "is the publication itself")
			continue
		}
		if !seen[ref.ID] {
			seen[ref.ID] = true
			related = append(related, ref)
		}
	}
	p.Related = related
	if len(fields) > 0 {
		return &model.ValidationError{Record: fmt.Sprintf("publication %q", p.Slug), Fields: fields}
	}
	return nil
}

func refText(id int64, slug string) string {
	if id != 0 {
		return "with ID " + strconv.FormatInt(id, 10)
	}
	return strconv.Quote(slug)
}

// writeLinks inserts p's contributions, topics, regions and related
// overrides; p's references must be resolved.
func (s *Store) writeLinks(ctx context.Context, tx *sql.Tx, p *model.Publication) error {
	for i, c := range p.Contributions {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO contributions (publication_id, position, person_id, role) VALUES (?, ?, ?, ?)`),
			p.ID, i, c.Person.ID, string(c.Role)); err != nil {
			return fmt.Errorf("contribution %d: %w", i, err)
		}
	}
	for i, t := range p.Topics {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO publication_topics (publication_id, topic_id, position) VALUES (?, ?, ?)`),
			p.ID, t.ID, i); err != nil {
			return fmt.Errorf("topic %q: %w", t.Slug, err)
		}
	}
	for i, r := range p.Regions {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO publication_regions (publication_id, region_id, position) VALUES (?, ?, ?)`),
			p.ID, r.ID, i); err != nil {
			return fmt.Errorf("region %q: %w", r.Slug, err)
		}
	}
	for i, r := range p.Related {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO related_overrides (publication_id, related_id, position) VALUES (?, ?, ?)`),
			p.ID, r.ID, i); err != nil {
			return fmt.Errorf("related %q: %w", r.Slug, err)
		}
	}
	return nil
}

// textFilter matches text containing a needle, ignoring case, for the
// admin's filters. Both engines' lower() folds ASCII letters only (SQLite
// without ICU; PostgreSQL under COLLATE "C"), so pattern, a LIKE pattern
// for lower(column), stands for any cased letter beyond ASCII in the
// needle with "_": it finds every match and, when such letters occur,
// some text that does not match, which match then tells apart. The
// pattern escapes with "!" (ESCAPE '!'), which reads the same whatever
// PostgreSQL's standard_conforming_strings says of backslashes.
type textFilter struct {
	needle  string // folded
	pattern string
}

func newTextFilter(needle string) *textFilter {
	f := &textFilter{needle: foldText(needle)}
	var b strings.Builder
	b.WriteByte('%')
	for _, r := range f.needle {
		switch {
		case r == '%' || r == '_' || r == '!':
			b.WriteByte('!')
			b.WriteRune(r)
		case r >= utf8.RuneSelf && unicode.SimpleFold(r) != r:
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('%')
	f.pattern = b.String()
	return f
}

// match reports whether text contains the needle, ignoring case.
func (f *textFilter) match(text string) bool {
	return strings.Contains(foldText(text), f.needle)
}

// foldText lower-cases s rune by rune. A letter beyond ASCII whose lower
// case is an ASCII letter (the Kelvin sign, the dotted capital I) is kept
// as it is, as the engines keep it, so that a needle of ASCII letters
// matches in SQL exactly what it matches here.
func foldText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}
		if l := unicode.ToLower(r); l >= utf8.RuneSelf {
			return l
		}
		return r
	}, s)
}
