package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

var _ store.Audit = (*Store)(nil)

// AddAudit implements store.Audit. Inside WithTx it joins the transaction
// of the change it records.
func (s *Store) AddAudit(ctx context.Context, e *store.AuditEntry) error {
	var fields []model.FieldError
	bad := func(field, msg string) { fields = append(fields, model.FieldError{Field: field, Message: msg}) }
	if strings.TrimSpace(e.Action) == "" {
		bad("Action", "is required")
	}
	if e.UserID < 0 {
		bad("UserID", "must be an account ID or 0")
	}
	checkText(bad, "Action", e.Action, 100)
	checkText(bad, "UserName", e.UserName, 300)
	checkText(bad, "Target", e.Target, 300)
	checkText(bad, "Address", e.Address, 100)
	checkLines(bad, "Detail", e.Detail, 4000)
	if len(fields) > 0 {
		return &model.ValidationError{Record: fmt.Sprintf("audit entry %q", e.Action), Fields: fields}
	}
	a := *e
	if a.At.IsZero() {
		a.At = s.timestamp()
	}
	a.At = fromMicros(micros(a.At))
	err := s.write(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, s.q(`INSERT INTO audit_log (at, user_id, user_name, action, target, address, detail)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			micros(a.At), nullID(a.UserID), a.UserName, a.Action, a.Target, a.Address, a.Detail).Scan(&a.ID)
	})
	if err != nil {
		return s.classify(err, fmt.Sprintf("add audit entry %q", e.Action))
	}
	*e = a
	return nil
}

// ListAudit implements store.Audit. Entries are listed by ID, which grows
// as they are added, so that Before pages through them stably while more
// are written.
func (s *Store) ListAudit(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	var conds []string
	var args []any
	if q.UserID != 0 {
		conds = append(conds, "user_id = ?")
		args = append(args, q.UserID)
	}
	if q.Action != "" {
		conds = append(conds, "action = ?")
		args = append(args, q.Action)
	}
	if q.Target != "" {
		conds = append(conds, "target = ?")
		args = append(args, q.Target)
	}
	if q.Before != 0 {
		conds = append(conds, "id < ?")
		args = append(args, q.Before)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = store.DefaultLimit
	}
	limit = min(limit, store.MaxLimit)
	query := `SELECT id, at, user_id, user_name, action, target, address, detail FROM audit_log`
	if len(conds) > 0 {
		query += ` WHERE ` + strings.Join(conds, " AND ")
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.conn().QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("list audit log %+v: %w", q, err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		var at int64
		var user sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &user, &e.UserName, &e.Action, &e.Target, &e.Address, &e.Detail); err != nil {
			return nil, fmt.Errorf("list audit log %+v: %w", q, err)
		}
		e.At, e.UserID = fromMicros(at), user.Int64
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit log %+v: %w", q, err)
	}
	return out, nil
}
