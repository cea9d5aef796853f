package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

var _ store.Accounts = (*Store)(nil)

const userColumns = `id, email, name, role, password_hash, disabled, created_at, updated_at`

func scanUser(sc interface{ Scan(...any) error }, u *model.User) error {
	var role string
	var disabled, created, updated int64
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &role, &u.PasswordHash, &disabled, &created, &updated)
	u.Role = model.AccountRole(role)
	u.Disabled = disabled != 0
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	return err
}

// flag stores a bool as the 0 or 1 both schemas keep.
func flag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// User implements store.Accounts.
func (s *Store) User(ctx context.Context, id int64) (*model.User, error) {
	return s.userWhere(ctx, "id = ?", id, fmt.Sprintf("user %d", id))
}

// UserByEmail implements store.Accounts. The address is compared as
// stored, lower-cased: the caller normalizes what a person typed.
func (s *Store) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	return s.userWhere(ctx, "email = ?", email, fmt.Sprintf("user %q", email))
}

func (s *Store) userWhere(ctx context.Context, where string, arg any, what string) (*model.User, error) {
	var u model.User
	row := s.conn().QueryRowContext(ctx, s.q(`SELECT `+userColumns+` FROM users WHERE `+where), arg)
	if err := scanUser(row, &u); err != nil {
		if isNoRows(err) {
			return nil, notFound("%s", what)
		}
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return &u, nil
}

// ListUsers implements store.Accounts.
func (s *Store) ListUsers(ctx context.Context) ([]model.User, error) {
	rows, err := s.conn().QueryContext(ctx, s.q(`SELECT `+userColumns+` FROM users ORDER BY email`))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []model.User
	for rows.Next() {
		var u model.User
		if err := scanUser(rows, &u); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// CreateUser implements store.Accounts.
func (s *Store) CreateUser(ctx context.Context, u *model.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	now := s.timestamp()
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, s.q(`INSERT INTO users (email, name, role, password_hash, disabled,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			u.Email, u.Name, string(u.Role), u.PasswordHash, flag(u.Disabled), micros(now), micros(now)).Scan(&id)
	})
	if err != nil {
		return s.classify(err, fmt.Sprintf("create user %q", u.Email))
	}
	u.ID, u.CreatedAt, u.UpdatedAt = id, now, now
	return nil
}

// UpdateUser implements store.Accounts. Disabling an account also ends
// its sessions in the same transaction, so that no request slips through
// between the two writes.
func (s *Store) UpdateUser(ctx context.Context, u *model.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	now := s.timestamp()
	what := fmt.Sprintf("update user %d (%q)", u.ID, u.Email)
	var created int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`UPDATE users SET email = ?, name = ?, role = ?, password_hash = ?,
			disabled = ?, updated_at = ? WHERE id = ? RETURNING created_at`),
			u.Email, u.Name, string(u.Role), u.PasswordHash, flag(u.Disabled), micros(now), u.ID).Scan(&created)
		if isNoRows(err) {
			return notFound("user %d", u.ID)
		}
		if err != nil || !u.Disabled {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id = ?`), u.ID)
		return err
	})
	if err != nil {
		return s.classify(err, what)
	}
	u.CreatedAt, u.UpdatedAt = fromMicros(created), now
	return nil
}
