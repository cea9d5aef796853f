package storetest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// The crash test runs a writer in a child process, kills it with SIGKILL
// while writes are in flight, and checks what the database kept: every
// write the child saw acknowledged is there, and no write is there in part.
// A child process is the only honest way to test this: a goroutine cannot
// be killed halfway through a commit.

// crashChildEnv names the database the child writes to; set only in the
// child.
const crashChildEnv = "IMPRINT_CRASH_CHILD"

// crashWriters is how many goroutines write at once in the child, so that
// the kill can land between, during and after concurrent commits.
const crashWriters = 4

// CrashChild is the body of the child process. Call it first in a test
// function named by RunCrash's childTest: it returns false at once in the
// parent; in the child it opens the database with open, writes until it is
// killed, and never returns.
func CrashChild(open func(ctx context.Context, location string) (store.Store, error)) bool {
	location := os.Getenv(crashChildEnv)
	if location == "" {
		return false
	}
	ctx := context.Background()
	st, err := open(ctx, location)
	if err != nil {
		fmt.Fprintln(os.Stdout, "error", err)
		os.Exit(2)
	}
	var mu sync.Mutex // one ack line at a time on stdout
	ack := func(slug string, version int) {
		mu.Lock()
		fmt.Fprintf(os.Stdout, "ack %s %d\n", slug, version)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for w := range crashWriters {
		wg.Go(func() {
			if err := crashWrite(ctx, st, w, ack); err != nil {
				mu.Lock()
				fmt.Fprintln(os.Stdout, "error", err)
				mu.Unlock()
				os.Exit(3)
			}
		})
	}
	wg.Wait()
	os.Exit(0)
	return true
}

// crashPeople are the contributors every written publication draws on;
// RunCrash creates them before the child starts.
var crashPeople = []string{"crash-ito", "crash-kim", "crash-lee"}

// crashVersion returns publication slug at version n: its title, summary
// and number of contributions all say n, so a torn write is visible.
func crashVersion(slug string, n int) *model.Publication {
	p := &model.Publication{
		Slug:    slug,
		Type:    model.TypeReport,
		Title:   "Version " + strconv.Itoa(n),
		Summary: "Summary of version " + strconv.Itoa(n) + ". " + strings.Repeat("Padding text. ", n%7*20),
		Status:  model.StatusPublished,
		Topics:  []model.Topic{{Slug: "crash-topic"}},
	}
	for i := 0; i <= n%len(crashPeople); i++ {
		p.Contributions = append(p.Contributions, model.Contribution{Person: model.Person{Slug: crashPeople[i]}, Role: model.RoleAuthor})
	}
	return p
}

// crashWrite creates publications and rewrites earlier ones, in turn,
// acknowledging each write after the store returned from it.
func crashWrite(ctx context.Context, st store.Store, writer int, ack func(string, int)) error {
	var mine []*model.Publication
	for i := 0; ; i++ {
		if i%3 != 2 || len(mine) == 0 {
			p := crashVersion(fmt.Sprintf("crash-%d-%d", writer, len(mine)), 0)
			if err := st.CreatePublication(ctx, p); err != nil {
				return fmt.Errorf("create %s: %w", p.Slug, err)
			}
			mine = append(mine, p)
			ack(p.Slug, 0)
			continue
		}
		old := mine[i%len(mine)]
		n, _ := strconv.Atoi(strings.TrimPrefix(old.Title, "Version "))
		p := crashVersion(old.Slug, n+1)
		p.ID = old.ID
		if err := st.UpdatePublication(ctx, p); err != nil {
			return fmt.Errorf("update %s to version %d: %w", p.Slug, n+1, err)
		}
		mine[i%len(mine)] = p
		ack(p.Slug, n+1)
	}
}

// RunCrash prepares the database at location (open must migrate it),
// starts the test binary again running only childTest with the database in
// its environment, kills it with SIGKILL once it has acknowledged at least
// minAcks writes, and checks the database after reopening it. check, when
// not nil, runs the engine's own integrity checks on the reopened store.
func RunCrash(t *testing.T, childTest, location string, minAcks int,
	open func(ctx context.Context, location string) (store.Store, error),
	check func(t *testing.T, st store.Store)) {
	t.Helper()
	ctx := t.Context()
	st, err := open(ctx, location)
	if err != nil {
		t.Fatal(err)
	}
	for _, slug := range crashPeople {
		if err := st.CreatePerson(ctx, &model.Person{Slug: slug, Family: strings.TrimPrefix(slug, "crash-")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateTopic(ctx, &model.Topic{Slug: "crash-topic", Name: "Crash"}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^"+childTest+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+location)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]int{}
	acks := 0
	lines := bufio.NewScanner(out)
	deadline := time.Now().Add(2 * time.Minute)
	for acks < minAcks && lines.Scan() {
		f := strings.Fields(lines.Text())
		switch {
		case len(f) == 3 && f[0] == "ack":
			n, _ := strconv.Atoi(f[2])
			acked[f[1]] = n
			acks++
		case len(f) > 0 && f[0] == "error":
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child: %s", lines.Text())
		}
		if time.Now().After(deadline) {
			break
		}
	}
	// SIGKILL: no deferred function, no Close, no checkpoint runs in the
	// child. Acks it printed after this point are not read: they were not
	// seen acknowledged.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, out)
	cmd.Wait()
	if acks < minAcks {
		t.Fatalf("child acknowledged %d writes before it stopped, want at least %d", acks, minAcks)
	}
	t.Logf("killed the writer after %d acknowledged writes to %d publications", acks, len(acked))

	st, err = open(ctx, location)
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer st.Close()
	if check != nil {
		check(t, st)
	}
	page, err := st.ListPublications(ctx, store.PublicationQuery{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for {
		for i := range page.Items {
			p := &page.Items[i]
			stored[p.Slug] = true
			checkCrashVersion(t, p)
		}
		if page.NextCursor == "" {
			break
		}
		if page, err = st.ListPublications(ctx, store.PublicationQuery{Limit: store.MaxLimit, Cursor: page.NextCursor}); err != nil {
			t.Fatal(err)
		}
	}
	for slug, n := range acked {
		if !stored[slug] {
			t.Errorf("%s was acknowledged (version %d) but is not listed", slug, n)
			continue
		}
		p, err := st.PublicationBySlug(ctx, slug)
		if err != nil {
			t.Errorf("%s was acknowledged: %v", slug, err)
			continue
		}
		checkCrashVersion(t, p)
		// A write may commit and the kill land before its ack is printed,
		// so the stored version may be newer than the acknowledged one,
		// never older.
		if got, _ := strconv.Atoi(strings.TrimPrefix(p.Title, "Version ")); got < n {
			t.Errorf("%s is at version %d, but version %d was acknowledged", slug, got, n)
		}
	}
}

// checkCrashVersion fails when the parts of p disagree on its version.
func checkCrashVersion(t *testing.T, p *model.Publication) {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimPrefix(p.Title, "Version "))
	if err != nil {
		t.Errorf("%s: title %q", p.Slug, p.Title)
		return
	}
	want := crashVersion(p.Slug, n)
	if p.Summary != want.Summary {
		t.Errorf("%s: title says version %d, summary is %.40q", p.Slug, n, p.Summary)
	}
	if len(p.Contributions) != len(want.Contributions) {
		t.Errorf("%s: version %d has %d contributions, want %d", p.Slug, n, len(p.Contributions), len(want.Contributions))
	}
	if len(p.Topics) != 1 {
		t.Errorf("%s: version %d has %d topics, want 1", p.Slug, n, len(p.Topics))
	}
}
