package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

const personColumns = `id, slug, given, family, dropping_particle, non_dropping_particle, suffix, literal,
	role_line, bio, orcid, photo, created_at, updated_at`

func scanPerson(sc interface{ Scan(...any) error }, p *model.Person) error {
	var created, updated int64
	err := sc.Scan(&p.ID, &p.Slug, &p.Given, &p.Family, &p.DroppingParticle, &p.NonDroppingParticle,
		&p.Suffix, &p.Literal, &p.RoleLine, &p.Bio, &p.ORCID, &p.Photo, &created, &updated)
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return err
}

// Person implements store.People.
func (s *Store) Person(ctx context.Context, id int64) (*model.Person, error) {
	return s.personWhere(ctx, "id = ?", id, fmt.Sprintf("person %d", id))
}

// PersonBySlug implements store.People.
func (s *Store) PersonBySlug(ctx context.Context, slug string) (*model.Person, error) {
	return s.personWhere(ctx, "slug = ?", slug, fmt.Sprintf("person %q", slug))
}

func (s *Store) personWhere(ctx context.Context, where string, arg any, what string) (*model.Person, error) {
	var p model.Person
	row := s.conn().QueryRowContext(ctx, s.q(`SELECT `+personColumns+` FROM people WHERE `+where), arg)
	if err := scanPerson(row, &p); err != nil {
		if isNoRows(err) {
			return nil, notFound("%s", what)
		}
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return &p, nil
}

// ListPeople implements store.People. A Name filter matches the display
// name, which is composed here (model.Person.DisplayName), so people are
// filtered and paged here when it is set; the query narrows the rows read
// to those with a name part sharing the filter's longest word.
func (s *Store) ListPeople(ctx context.Context, q store.PeopleQuery) ([]model.Person, error) {
	what := fmt.Sprintf("list people %+v", q)
	var conds []string
	var args []any
	if q.ORCID != "" {
		// Stored iDs are bare and valid; an iD written another way
		// ("https://orcid.org/…", lower-case x) finds its person too.
		orcid := q.ORCID
		if n := model.NormalizeORCID(orcid); n != "" {
			orcid = n
		}
		conds = append(conds, "orcid = ?")
		args = append(args, orcid)
	}
	var name *textFilter
	if needle := strings.TrimSpace(q.Name); needle != "" {
		name = newTextFilter(needle)
		// A display name joins these columns with spaces, or family and
		// given name without one in scripts written family name first,
		// so a match of the whole name contains a match of its longest
		// word in one of them.
		word := newTextFilter(longestWord(needle))
		var or []string
		for _, c := range []string{"given", "family", "dropping_particle", "non_dropping_particle", "suffix", "literal", "family || given"} {
			or = append(or, "lower("+c+") LIKE ? ESCAPE '!'")
			args = append(args, word.pattern)
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	query := `SELECT ` + personColumns + ` FROM people`
	if len(conds) > 0 {
		query += ` WHERE ` + strings.Join(conds, " AND ")
	}
	query += ` ORDER BY family, given, literal, id`
	if q.Limit > 0 && name == nil {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, q.Limit, max(q.Offset, 0))
	}
	rows, err := s.conn().QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []model.Person
	for rows.Next() {
		var p model.Person
		if err := scanPerson(rows, &p); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if name != nil && !name.match(p.DisplayName()) && !name.match(p.Family) && !name.match(p.Given) {
			continue
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if name != nil {
		out = out[min(max(q.Offset, 0), len(out)):]
		if q.Limit > 0 && len(out) > q.Limit {
			out = out[:q.Limit]
		}
	}
	return out, nil
}

// longestWord returns the longest space-separated word of s, or s when it
// has none.
func longestWord(s string) string {
	best := ""
	for _, w := range strings.Fields(s) {
		if len(w) > len(best) {
			best = w
		}
	}
	if best == "" {
		return s
	}
	return best
}

// CreatePerson implements store.People.
func (s *Store) CreatePerson(ctx context.Context, p *model.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	now := s.timestamp()
	err := s.write(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, s.q(`INSERT INTO people (slug, given, family, dropping_particle,
			non_dropping_particle, suffix, literal, role_line, bio, orcid, photo, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			p.Slug, p.Given, p.Family, p.DroppingParticle, p.NonDroppingParticle, p.Suffix, p.Literal,
			p.RoleLine, p.Bio, p.ORCID, p.Photo, micros(now), micros(now)).Scan(&p.ID)
	})
	if err != nil {
		return s.classify(err, fmt.Sprintf("create person %q", p.Slug))
	}
	p.CreatedAt, p.UpdatedAt = now, now
	return nil
}

// UpdatePerson implements store.People.
func (s *Store) UpdatePerson(ctx context.Context, p *model.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	now := s.timestamp()
	what := fmt.Sprintf("update person %d (%q)", p.ID, p.Slug)
	var created int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`UPDATE people SET slug = ?, given = ?, family = ?,
			dropping_particle = ?, non_dropping_particle = ?, suffix = ?, literal = ?, role_line = ?,
			bio = ?, orcid = ?, photo = ?, updated_at = ? WHERE id = ? RETURNING created_at`),
			p.Slug, p.Given, p.Family, p.DroppingParticle, p.NonDroppingParticle, p.Suffix, p.Literal,
			p.RoleLine, p.Bio, p.ORCID, p.Photo, micros(now), p.ID).Scan(&created)
		if isNoRows(err) {
			return notFound("person %d", p.ID)
		}
		return err
	})
	if err != nil {
		return s.classify(err, what)
	}
	p.CreatedAt, p.UpdatedAt = fromMicros(created), now
	return nil
}

// DeletePerson implements store.People.
func (s *Store) DeletePerson(ctx context.Context, id int64) error {
	return s.deleteRow(ctx, "people", id, fmt.Sprintf("person %d", id))
}

// deleteRow deletes one row by id; a row still referenced is a conflict
// (the schema restricts such deletes).
func (s *Store) deleteRow(ctx context.Context, table string, id int64, what string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM `+table+` WHERE id = ?`), id)
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
