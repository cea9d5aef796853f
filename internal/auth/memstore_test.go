package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// memStore is an in-memory Store with the semantics store/admin.go
// documents, for the unit tests; integration_test.go runs the same
// scenarios on SQLite.
type memStore struct {
	mu       sync.Mutex
	users    map[int64]model.User
	nextID   int64
	sessions map[string]store.Session
	hits     map[string][]time.Time
	audit    []store.AuditEntry
	touches  int   // TouchSession calls
	fail     error // returned by every method when set
}

func newMemStore() *memStore {
	return &memStore{users: map[int64]model.User{}, sessions: map[string]store.Session{}, hits: map[string][]time.Time{}}
}

func (s *memStore) CreateUser(_ context.Context, u *model.User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	if err := u.Validate(); err != nil {
		return err
	}
	for _, o := range s.users {
		if o.Email == u.Email {
			return fmt.Errorf("user %q: %w", u.Email, store.ErrConflict)
		}
	}
	s.nextID++
	u.ID = s.nextID
	u.CreatedAt, u.UpdatedAt = time.Now(), time.Now()
	s.users[u.ID] = *u
	return nil
}

func (s *memStore) User(_ context.Context, id int64) (*model.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	u, ok := s.users[id]
	if !ok {
		return nil, fmt.Errorf("user %d: %w", id, store.ErrNotFound)
	}
	return &u, nil
}

func (s *memStore) UserByEmail(_ context.Context, email string) (*model.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	for _, u := range s.users {
		if u.Email == email {
			return &u, nil
		}
	}
	return nil, fmt.Errorf("user %q: %w", email, store.ErrNotFound)
}

func (s *memStore) ListUsers(context.Context) ([]model.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []model.User
	for _, u := range s.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Email < out[j].Email })
	return out, nil
}

func (s *memStore) UpdateUser(_ context.Context, u *model.User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	if _, ok := s.users[u.ID]; !ok {
		return fmt.Errorf("user %d: %w", u.ID, store.ErrNotFound)
	}
	if err := u.Validate(); err != nil {
		return err
	}
	u.UpdatedAt = time.Now()
	s.users[u.ID] = *u
	return nil
}

func (s *memStore) CreateSession(_ context.Context, x *store.Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	if _, ok := s.sessions[x.TokenHash]; ok {
		return store.ErrConflict
	}
	s.sessions[x.TokenHash] = *x
	return nil
}

func (s *memStore) Session(_ context.Context, hash string, now time.Time) (*store.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	x, ok := s.sessions[hash]
	if !ok || !x.ExpiresAt.After(now) {
		return nil, fmt.Errorf("session: %w", store.ErrNotFound)
	}
	return &x, nil
}

func (s *memStore) TouchSession(_ context.Context, hash string, seen, extend time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.touches++
	x, ok := s.sessions[hash]
	if !ok {
		return fmt.Errorf("session: %w", store.ErrNotFound)
	}
	x.LastSeen = seen
	if !extend.IsZero() {
		x.ExpiresAt = extend
	}
	s.sessions[hash] = x
	return nil
}

func (s *memStore) DeleteSession(_ context.Context, hash string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	delete(s.sessions, hash)
	return nil
}

func (s *memStore) DeleteUserSessions(_ context.Context, id int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return 0, s.fail
	}
	n := 0
	for h, x := range s.sessions {
		if x.UserID == id {
			delete(s.sessions, h)
			n++
		}
	}
	return n, nil
}

func (s *memStore) DeleteExpiredSessions(_ context.Context, now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return 0, s.fail
	}
	n := 0
	for h, x := range s.sessions {
		if x.ExpiresAt.Before(now) {
			delete(s.sessions, h)
			n++
		}
	}
	return n, nil
}

func (s *memStore) Hit(_ context.Context, key string, at time.Time, window time.Duration) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return 0, s.fail
	}
	s.hits[key] = append(s.hits[key], at)
	return s.count(key, at, window), nil
}

func (s *memStore) Hits(_ context.Context, key string, at time.Time, window time.Duration) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return 0, s.fail
	}
	return s.count(key, at, window), nil
}

func (s *memStore) count(key string, at time.Time, window time.Duration) int {
	n := 0
	for _, t := range s.hits[key] {
		if t.After(at.Add(-window)) && !t.After(at) {
			n++
		}
	}
	return n
}

func (s *memStore) ResetHits(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	delete(s.hits, key)
	return nil
}

func (s *memStore) AddAudit(_ context.Context, e *store.AuditEntry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	e.ID = int64(len(s.audit) + 1)
	if e.At.IsZero() {
		e.At = time.Now()
	}
	s.audit = append(s.audit, *e)
	return nil
}

func (s *memStore) ListAudit(_ context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.AuditEntry
	for _, e := range slices.Backward(s.audit) {
		if (q.Action == "" || e.Action == q.Action) && (q.UserID == 0 || e.UserID == q.UserID) && (q.Target == "" || e.Target == q.Target) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *memStore) setFail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

func (s *memStore) sessionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

func (s *memStore) auditActions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.audit {
		out = append(out, e.Action)
	}
	return out
}

var errDown = errors.New("database is down")

// clock is a settable fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// PruneHits forgets events at or before before, and keys left empty.
func (s *memStore) PruneHits(_ context.Context, before time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, ts := range s.hits {
		ts = slices.DeleteFunc(ts, func(t time.Time) bool { return !t.After(before) })
		if len(ts) == 0 {
			delete(s.hits, k)
			n++
		} else {
			s.hits[k] = ts
		}
	}
	return n, nil
}
