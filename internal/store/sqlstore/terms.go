package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/imprintpub/imprint/internal/model"
)

// Topics and regions share one shape and one set of rules, so they share
// this code; kind names the table ("topics") and the record ("topic").
type term struct {
	ID, ParentID            int64
	Slug, Name, Description string
}

type termKind struct {
	table, record string
}

var (
	topicKind  = termKind{"topics", "topic"}
	regionKind = termKind{"regions", "region"}
)

func (s *Store) termWhere(ctx context.Context, k termKind, where string, arg any, what string) (term, error) {
	var t term
	var parent sql.NullInt64
	err := s.conn().QueryRowContext(ctx, s.q(`SELECT id, parent_id, slug, name, description FROM `+k.table+` WHERE `+where), arg).
		Scan(&t.ID, &parent, &t.Slug, &t.Name, &t.Description)
	if isNoRows(err) {
		return t, notFound("%s %s", k.record, what)
	}
	if err != nil {
		return t, fmt.Errorf("read %s %s: %w", k.record, what, err)
	}
	t.ParentID = parent.Int64
	return t, nil
}

func (s *Store) termByID(ctx context.Context, k termKind, id int64) (term, error) {
	return s.termWhere(ctx, k, "id = ?", id, fmt.Sprint(id))
}

func (s *Store) termBySlug(ctx context.Context, k termKind, slug string) (term, error) {
	return s.termWhere(ctx, k, "slug = ?", slug, fmt.Sprintf("%q", slug))
}

// listTerms returns every term, parents before children and siblings by
// name.
func (s *Store) listTerms(ctx context.Context, k termKind) ([]term, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT id, parent_id, slug, name, description FROM `+k.table)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", k.table, err)
	}
	defer rows.Close()
	children := map[int64][]term{}
	ids := map[int64]bool{}
	for rows.Next() {
		var t term
		var parent sql.NullInt64
		if err := rows.Scan(&t.ID, &parent, &t.Slug, &t.Name, &t.Description); err != nil {
			return nil, fmt.Errorf("list %s: %w", k.table, err)
		}
		t.ParentID = parent.Int64
		children[t.ParentID] = append(children[t.ParentID], t)
		ids[t.ID] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list %s: %w", k.table, err)
	}
	for _, ts := range children {
		sort.Slice(ts, func(i, j int) bool {
			if ts[i].Name != ts[j].Name {
				return ts[i].Name < ts[j].Name
			}
			return ts[i].ID < ts[j].ID
		})
	}
	out := make([]term, 0, len(ids))
	var walk func(parent int64)
	walk = func(parent int64) {
		for _, t := range children[parent] {
			out = append(out, t)
			walk(t.ID)
		}
	}
	walk(0)
	return out, nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func (s *Store) createTerm(ctx context.Context, k termKind, t *term) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.checkParent(ctx, tx, k, t); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, s.q(`INSERT INTO `+k.table+` (parent_id, slug, name, description)
			VALUES (?, ?, ?, ?) RETURNING id`), nullID(t.ParentID), t.Slug, t.Name, t.Description).Scan(&t.ID)
	})
	return s.classify(err, fmt.Sprintf("create %s %q", k.record, t.Slug))
}

func (s *Store) updateTerm(ctx context.Context, k termKind, t *term) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if t.ParentID != 0 && s.dialect.TreeLock != "" {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(s.dialect.TreeLock, k.table)); err != nil {
				return fmt.Errorf("lock %s tree: %w", k.record, err)
			}
		}
		if err := s.checkParent(ctx, tx, k, t); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE `+k.table+` SET parent_id = ?, slug = ?, name = ?, description = ?
			WHERE id = ?`), nullID(t.ParentID), t.Slug, t.Name, t.Description, t.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound("%s %d", k.record, t.ID)
		}
		return nil
	})
	return s.classify(err, fmt.Sprintf("update %s %d (%q)", k.record, t.ID, t.Slug))
}

// checkParent refuses a parent that does not exist or that lies below t,
// which would make the tree a cycle.
func (s *Store) checkParent(ctx context.Context, tx *sql.Tx, k termKind, t *term) error {
	if t.ParentID == 0 {
		return nil
	}
	var exists, cycle int
	err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM `+k.table+` WHERE id = ?`), t.ParentID).Scan(&exists)
	if err != nil {
		return err
	}
	if exists == 0 {
		return &model.ValidationError{Record: fmt.Sprintf("%s %q", k.record, t.Slug),
			Fields: []model.FieldError{{Field: "ParentID", Message: fmt.Sprintf("no %s with ID %d", k.record, t.ParentID)}}}
	}
	if t.ID == 0 {
		return nil
	}
	err = tx.QueryRowContext(ctx, s.q(`WITH RECURSIVE below (id) AS (
			SELECT id FROM `+k.table+` WHERE parent_id = ?
			UNION SELECT c.id FROM `+k.table+` c JOIN below b ON c.parent_id = b.id
		) SELECT COUNT(*) FROM below WHERE id = ?`), t.ID, t.ParentID).Scan(&cycle)
	if err != nil {
		return err
	}
	if cycle > 0 || t.ParentID == t.ID {
		return &model.ValidationError{Record: fmt.Sprintf("%s %q", k.record, t.Slug),
			Fields: []model.FieldError{{Field: "ParentID", Message: fmt.Sprintf("%s %d lies below this %s", k.record, t.ParentID, k.record)}}}
	}
	return nil
}

// Topic implements store.Topics.
func (s *Store) Topic(ctx context.Context, id int64) (*model.Topic, error) {
	t, err := s.termByID(ctx, topicKind, id)
	if err != nil {
		return nil, err
	}
	return (*model.Topic)(&t), nil
}

// TopicBySlug implements store.Topics.
func (s *Store) TopicBySlug(ctx context.Context, slug string) (*model.Topic, error) {
	t, err := s.termBySlug(ctx, topicKind, slug)
	if err != nil {
		return nil, err
	}
	return (*model.Topic)(&t), nil
}

// ListTopics implements store.Topics.
func (s *Store) ListTopics(ctx context.Context) ([]model.Topic, error) {
	ts, err := s.listTerms(ctx, topicKind)
	out := make([]model.Topic, len(ts))
	for i, t := range ts {
		out[i] = model.Topic(t)
	}
	return out, err
}

// CreateTopic implements store.Topics.
func (s *Store) CreateTopic(ctx context.Context, t *model.Topic) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.createTerm(ctx, topicKind, (*term)(t))
}

// UpdateTopic implements store.Topics.
func (s *Store) UpdateTopic(ctx context.Context, t *model.Topic) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.updateTerm(ctx, topicKind, (*term)(t))
}

// DeleteTopic implements store.Topics.
func (s *Store) DeleteTopic(ctx context.Context, id int64) error {
	return s.deleteRow(ctx, "topics", id, fmt.Sprintf("topic %d", id))
}

// Region implements store.Regions.
func (s *Store) Region(ctx context.Context, id int64) (*model.Region, error) {
	t, err := s.termByID(ctx, regionKind, id)
	if err != nil {
		return nil, err
	}
	return (*model.Region)(&t), nil
}

// RegionBySlug implements store.Regions.
func (s *Store) RegionBySlug(ctx context.Context, slug string) (*model.Region, error) {
	t, err := s.termBySlug(ctx, regionKind, slug)
	if err != nil {
		return nil, err
	}
	return (*model.Region)(&t), nil
}

// ListRegions implements store.Regions.
func (s *Store) ListRegions(ctx context.Context) ([]model.Region, error) {
	ts, err := s.listTerms(ctx, regionKind)
	out := make([]model.Region, len(ts))
	for i, t := range ts {
		out[i] = model.Region(t)
	}
	return out, err
}

// CreateRegion implements store.Regions.
func (s *Store) CreateRegion(ctx context.Context, r *model.Region) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.createTerm(ctx, regionKind, (*term)(r))
}

// UpdateRegion implements store.Regions.
func (s *Store) UpdateRegion(ctx context.Context, r *model.Region) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.updateTerm(ctx, regionKind, (*term)(r))
}

// DeleteRegion implements store.Regions.
func (s *Store) DeleteRegion(ctx context.Context, id int64) error {
	return s.deleteRow(ctx, "regions", id, fmt.Sprintf("region %d", id))
}
