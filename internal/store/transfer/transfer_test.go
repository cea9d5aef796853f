package transfer

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/demo"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/related"
	"github.com/imprintpub/imprint/internal/search"
	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/postgres"
	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
	"github.com/imprintpub/imprint/internal/store/sqlite"
)

// everything reads a store's content through the store API, the way pages
// see it, so that the comparison does not depend on how rows are laid out.
func everything(t *testing.T, st store.Store) string {
	t.Helper()
	ctx := t.Context()
	var out struct {
		Publications []model.Publication
		People       []model.Person
		Topics       []model.Topic
		Regions      []model.Region
		Related      map[string][]string
	}
	out.Related = map[string][]string{}
	q := store.PublicationQuery{Limit: store.MaxLimit}
	for {
		page, err := st.ListPublications(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			full, err := st.Publication(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			out.Publications = append(out.Publications, *full)
			rel, err := related.Lookup(ctx, st, p.ID, 5)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rel {
				out.Related[p.Slug] = append(out.Related[p.Slug], r.Slug)
			}
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	var err error
	if out.People, err = st.ListPeople(ctx, store.PeopleQuery{}); err != nil {
		t.Fatal(err)
	}
	if out.Topics, err = st.ListTopics(ctx); err != nil {
		t.Fatal(err)
	}
	if out.Regions, err = st.ListRegions(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCopySQLiteToPostgres(t *testing.T) {
	ctx := t.Context()
	src, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := demo.Load(ctx, src); err != nil {
		t.Fatal(err)
	}
	if _, err := related.Rebuild(ctx, src); err != nil {
		t.Fatal(err)
	}
	// A deleted publication leaves a tombstone that harvesters must keep
	// seeing after the move.
	gone, err := src.PublicationBySlug(ctx, "intimate-rivals")
	if err != nil {
		t.Fatal(err)
	}
	if err := src.DeletePublication(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	// Accounts, sessions, revisions and the audit log move too.
	editor := &model.User{Email: "editor@example.org", Name: "Ed", Role: model.AccountEditor,
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", Disabled: true}
	if err := src.CreateUser(ctx, editor); err != nil {
		t.Fatal(err)
	}
	seed, err := src.PublicationBySlug(ctx, demo.SeedSlug)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.AddRevision(ctx, &store.Revision{PublicationID: seed.ID, UserID: editor.ID, UserName: "Ed", Note: "edited", Snapshot: []byte(`{"Title":"x"}`)}); err != nil {
		t.Fatal(err)
	}
	if err := src.AddAudit(ctx, &store.AuditEntry{UserID: editor.ID, UserName: "Ed", Action: "publication.publish", Target: "publication:1", Address: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	if err := src.TrashPublication(ctx, seed.ID, time.Now()); err != nil {
		t.Fatal(err)
	}

	url := pgtest.SchemaURL(t)
	dst, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()

	var progress []string
	rep, err := Copy(ctx, src.DB(), dst.DB(), Options{BatchRows: 7, Progress: func(tb Table) { progress = append(progress, tb.Name) }})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, tb := range rep.Tables {
		counts[tb.Name] = tb.Rows
		if tb.Digest == "" {
			t.Errorf("%s: no digest", tb.Name)
		}
	}
	// The copy is searchable on the target as on the source, filters
	// included.
	for _, q := range []search.Query{{Text: "japan"}, {Text: "alliance", Topic: "security"}, {Type: model.TypePodcast}} {
		want, err := search.NewSQLite(src.DB()).Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := search.NewPostgres(dst.DB()).Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if want.Total == 0 || got.Total != want.Total {
			t.Errorf("search %+v: %d matches on the target, %d on the source (want the same, not 0)", q, got.Total, want.Total)
		}
	}
	for _, name := range []string{"publications", "people", "contributions", "topics", "regions", "publication_topics",
		"publication_tombstones", "related_lists", "users", "revisions", "audit_log"} {
		if counts[name] == 0 {
			t.Errorf("%s: copied no rows (%v)", name, counts)
		}
	}
	if len(progress) != len(rep.Tables) {
		t.Errorf("progress called for %d tables, report has %d", len(progress), len(rep.Tables))
	}
	if a, b := everything(t, src), everything(t, dst); a != b {
		t.Errorf("content differs after the copy:\n%s", firstDifference(a, b))
	}
	tsrc, err := src.Tombstone(ctx, "intimate-rivals")
	if err != nil {
		t.Fatal(err)
	}
	tdst, err := dst.Tombstone(ctx, "intimate-rivals")
	if err != nil || !tdst.DeletedAt.Equal(tsrc.DeletedAt) {
		t.Errorf("tombstone on the target: %+v, %v; want deleted at %v", tdst, err, tsrc.DeletedAt)
	}

	u, err := dst.UserByEmail(ctx, "editor@example.org")
	if err != nil || !u.Disabled || u.Role != model.AccountEditor || u.PasswordHash != editor.PasswordHash {
		t.Errorf("account on the target: %+v, %v", u, err)
	}
	revs, err := dst.Revisions(ctx, seed.ID)
	if err != nil || len(revs) != 1 || revs[0].Note != "edited" || revs[0].UserName != "Ed" {
		t.Errorf("revisions on the target: %+v, %v", revs, err)
	}
	if p, err := dst.PublicationBySlug(ctx, demo.SeedSlug); err != nil || p.DeletedAt.IsZero() {
		t.Errorf("the trashed seed on the target: %v, %v", p, err)
	}

	// New rows get IDs past the copied ones.
	p := &model.Publication{Slug: "after-the-move", Type: model.TypeReport, Title: "After", Status: model.StatusDraft}
	if err := dst.CreatePublication(ctx, p); err != nil {
		t.Fatalf("create after the copy: %v", err)
	}
	var maxID int64
	if err := src.DB().QueryRowContext(ctx, `SELECT MAX(id) FROM publications`).Scan(&maxID); err != nil {
		t.Fatal(err)
	}
	if p.ID <= maxID {
		t.Errorf("new publication got ID %d, not past the copied %d", p.ID, maxID)
	}
	person := &model.Person{Slug: "new-person", Family: "New"}
	if err := dst.CreatePerson(ctx, person); err != nil {
		t.Fatalf("create a person after the copy: %v", err)
	}
	if err := dst.AddAudit(ctx, &store.AuditEntry{Action: "login.failed", Address: "192.0.2.2"}); err != nil {
		t.Fatalf("audit after the copy: %v", err)
	}

	// A second copy into a database with content is refused and writes
	// nothing.
	if _, err := Copy(ctx, src.DB(), dst.DB(), Options{}); err == nil || !strings.Contains(err.Error(), "empty database") {
		t.Errorf("copy into a database with content: %v, want a refusal", err)
	}
	var n int
	if err := dst.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM publications`).Scan(&n); err != nil || n != counts["publications"]+1 {
		t.Errorf("target has %d publications (%v), want %d", n, err, counts["publications"]+1)
	}
}

// A copy that fails halfway leaves the target as it was.
func TestCopyIsAllOrNothing(t *testing.T) {
	ctx := t.Context()
	src, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "imprint.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := demo.Load(ctx, src); err != nil {
		t.Fatal(err)
	}
	// A value PostgreSQL refuses in the last rows of a table: the copy
	// must fail and write nothing.
	if _, err := src.DB().ExecContext(ctx, `UPDATE publications SET title = 'bad' || char(0) WHERE id = (SELECT MAX(id) FROM publications)`); err != nil {
		t.Fatal(err)
	}
	dst, err := postgres.Open(ctx, pgtest.SchemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	_, err = Copy(ctx, src.DB(), dst.DB(), Options{BatchRows: 5})
	if err == nil || !strings.Contains(err.Error(), "publications") {
		t.Fatalf("copy with a bad row: %v, want an error naming the table", err)
	}
	for _, table := range []string{"people", "topics", "publications"} {
		var n int
		if err := dst.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s on the target: %d rows (%v) after a failed copy, want 0", table, n, err)
		}
	}
}

func firstDifference(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return "line " + itoa(i+1) + ":\n source: " + la[i] + "\n target: " + lb[i]
		}
	}
	return "one is a prefix of the other"
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
