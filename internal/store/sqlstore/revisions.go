package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

var _ store.Revisions = (*Store)(nil)

// AddRevision implements store.Revisions. Inside WithTx it joins the
// transaction of the save it records, so that a save and its revision are
// written together or not at all.
func (s *Store) AddRevision(ctx context.Context, r *store.Revision) error {
	var fields []model.FieldError
	bad := func(field, msg string) { fields = append(fields, model.FieldError{Field: field, Message: msg}) }
	if r.PublicationID <= 0 {
		bad("PublicationID", "names no publication")
	}
	if len(r.Snapshot) == 0 || !json.Valid(r.Snapshot) {
		bad("Snapshot", "must be the publication as JSON")
	}
	if r.UserID < 0 {
		bad("UserID", "must be an account ID or 0")
	}
	checkText(bad, "UserName", r.UserName, 300)
	checkText(bad, "Note", r.Note, 1000)
	record := fmt.Sprintf("revision of publication %d", r.PublicationID)
	if len(fields) > 0 {
		return &model.ValidationError{Record: record, Fields: fields}
	}
	q := *r
	if q.CreatedAt.IsZero() {
		q.CreatedAt = s.timestamp()
	}
	q.CreatedAt = fromMicros(micros(q.CreatedAt))
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM publications WHERE id = ?`), q.PublicationID).Scan(new(int))
		if isNoRows(err) {
			return &model.ValidationError{Record: record, Fields: []model.FieldError{
				{Field: "PublicationID", Message: fmt.Sprintf("no publication with ID %d", q.PublicationID)}}}
		}
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, s.q(`INSERT INTO revisions (publication_id, user_id, user_name, created_at, note, snapshot)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			q.PublicationID, nullID(q.UserID), q.UserName, micros(q.CreatedAt), q.Note, string(q.Snapshot)).Scan(&q.ID)
	})
	if err != nil {
		return s.classify(err, "add "+record)
	}
	*r = q
	return nil
}

// Revisions implements store.Revisions.
func (s *Store) Revisions(ctx context.Context, publicationID int64) ([]store.Revision, error) {
	var out []store.Revision
	err := s.read(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM publications WHERE id = ?`), publicationID).Scan(new(int))
		if isNoRows(err) {
			return notFound("publication %d", publicationID)
		}
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, s.q(`SELECT id, publication_id, user_id, user_name, created_at, note
			FROM revisions WHERE publication_id = ? ORDER BY created_at DESC, id DESC`), publicationID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r store.Revision
			if err := scanRevision(rows, &r, nil); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("revisions of publication %d: %w", publicationID, err)
	}
	return out, nil
}

// Revision implements store.Revisions.
func (s *Store) Revision(ctx context.Context, id int64) (*store.Revision, error) {
	var r store.Revision
	var snapshot string
	row := s.conn().QueryRowContext(ctx, s.q(`SELECT id, publication_id, user_id, user_name, created_at, note, snapshot
		FROM revisions WHERE id = ?`), id)
	if err := scanRevision(row, &r, &snapshot); err != nil {
		if isNoRows(err) {
			return nil, notFound("revision %d", id)
		}
		return nil, fmt.Errorf("read revision %d: %w", id, err)
	}
	r.Snapshot = []byte(snapshot)
	return &r, nil
}

// scanRevision scans a revision row, with its snapshot into snapshot when
// that is not nil.
func scanRevision(sc interface{ Scan(...any) error }, r *store.Revision, snapshot *string) error {
	var user sql.NullInt64
	var created int64
	dest := []any{&r.ID, &r.PublicationID, &user, &r.UserName, &created, &r.Note}
	if snapshot != nil {
		dest = append(dest, snapshot)
	}
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	r.UserID, r.CreatedAt = user.Int64, fromMicros(created)
	return nil
}

// checkText reports, through bad, a single-line field that is too long,
// is not UTF-8 (which PostgreSQL refuses and SQLite keeps) or holds
// control characters, which have no place in a log line or a list of
// revisions.
func checkText(bad func(field, msg string), field, s string, maxLen int) {
	checkLines(bad, field, s, maxLen)
	if strings.ContainsAny(s, "\r\n\t") {
		bad(field, "contains a line break or tab")
	}
}

// checkLines is checkText for text that may hold line breaks and tabs.
func checkLines(bad func(field, msg string), field, s string, maxLen int) {
	switch {
	case len(s) > maxLen:
		bad(field, fmt.Sprintf("is longer than %d bytes", maxLen))
	case !utf8.ValidString(s):
		bad(field, "is not valid UTF-8")
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
		bad(field, "contains a control character")
	}
}
