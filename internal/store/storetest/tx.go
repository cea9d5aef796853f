package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// RunTx runs the tests of store.Transactor, which every SQL backend
// implements; open is as for Run.
func RunTx(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store, tr store.Transactor)
	}{
		{"Commit", testTxCommit},
		{"Rollback", testTxRollback},
		{"Nested", testTxNested},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			tr, ok := s.(store.Transactor)
			if !ok {
				t.Fatalf("%T does not implement store.Transactor", s)
			}
			tt.fn(t, s, tr)
		})
	}
}

// txWrites creates a person, a topic and a publication by that person
// filed under the topic, reading each back through tx as an import does.
func txWrites(t *testing.T, ctx context.Context, tx store.Store) {
	t.Helper()
	person := model.Person{Slug: "sheila-a-smith", Given: "Sheila A.", Family: "Smith"}
	must(t, tx.CreatePerson(ctx, &person))
	if got, err := tx.PersonBySlug(ctx, person.Slug); err != nil || got.ID != person.ID {
		t.Fatalf("inside the transaction PersonBySlug = %+v, %v; want ID %d", got, err, person.ID)
	}
	topic := model.Topic{Slug: "security", Name: "Security"}
	must(t, tx.CreateTopic(ctx, &topic))
	pub := model.Publication{Slug: "north-korea", Type: "report", Title: "North Korea", Status: model.StatusDraft,
		Contributions: []model.Contribution{{Person: model.Person{Slug: person.Slug}, Role: model.RoleAuthor}},
		Topics:        []model.Topic{{Slug: topic.Slug}}}
	must(t, tx.CreatePublication(ctx, &pub))
	got, err := tx.PublicationBySlug(ctx, pub.Slug)
	must(t, err)
	if len(got.Contributions) != 1 || got.Contributions[0].Person.ID != person.ID || len(got.Topics) != 1 {
		t.Fatalf("inside the transaction the publication reads back as %+v", got)
	}
	page, err := tx.ListPublications(ctx, store.PublicationQuery{PersonID: person.ID})
	must(t, err)
	if page.Total != 1 {
		t.Fatalf("inside the transaction ListPublications by person = %d, want 1", page.Total)
	}
}

func testTxCommit(t *testing.T, s store.Store, tr store.Transactor) {
	ctx := context.Background()
	must(t, tr.WithTx(ctx, func(tx store.Store) error {
		txWrites(t, ctx, tx)
		return nil
	}))
	p, err := s.PublicationBySlug(ctx, "north-korea")
	must(t, err)
	if len(p.Contributions) != 1 || p.Contributions[0].Person.Slug != "sheila-a-smith" {
		t.Errorf("after commit the publication's contributions are %+v", p.Contributions)
	}
}

func testTxRollback(t *testing.T, s store.Store, tr store.Transactor) {
	ctx := context.Background()
	boom := errors.New("bad entry")
	err := tr.WithTx(ctx, func(tx store.Store) error {
		txWrites(t, ctx, tx)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx returned %v, want the function's error", err)
	}
	if _, err := s.PublicationBySlug(ctx, "north-korea"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("publication after rollback: %v, want ErrNotFound", err)
	}
	if _, err := s.PersonBySlug(ctx, "sheila-a-smith"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("person after rollback: %v, want ErrNotFound", err)
	}
	if _, err := s.TopicBySlug(ctx, "security"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("topic after rollback: %v, want ErrNotFound", err)
	}
	// The store still writes after a rolled-back transaction: nothing is
	// left locked.
	must(t, s.CreatePerson(ctx, &model.Person{Slug: "after", Family: "After"}))

	// A write refused inside the transaction undoes the ones before it.
	err = tr.WithTx(ctx, func(tx store.Store) error {
		must(t, tx.CreatePerson(ctx, &model.Person{Slug: "first", Family: "First"}))
		return tx.CreatePerson(ctx, &model.Person{Slug: "after", Family: "Again"})
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate slug inside WithTx: %v, want ErrConflict", err)
	}
	if _, err := s.PersonBySlug(ctx, "first"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("person written before the refused write: %v, want ErrNotFound", err)
	}
}

func testTxNested(t *testing.T, s store.Store, tr store.Transactor) {
	ctx := context.Background()
	err := tr.WithTx(ctx, func(tx store.Store) error {
		inner, ok := tx.(store.Transactor)
		if !ok {
			t.Fatalf("the store inside WithTx, %T, is not a Transactor", tx)
		}
		must(t, inner.WithTx(ctx, func(tx store.Store) error {
			return tx.CreatePerson(ctx, &model.Person{Slug: "inner", Family: "Inner"})
		}))
		return errors.New("outer fails")
	})
	if err == nil {
		t.Fatal("WithTx returned nil for a failing function")
	}
	if _, err := s.PersonBySlug(ctx, "inner"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a nested WithTx committed on its own: %v", err)
	}
}
