// Package pgtest gives tests a PostgreSQL schema of their own on the server
// named by the environment variable IMPRINT_TEST_POSTGRES, so that test runs
// on one server, even at the same time, cannot see each other's rows.
//
// Without IMPRINT_TEST_POSTGRES a test using it fails when CI is set (CI
// must run every backend) and is skipped otherwise, saying how to run it.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	// The driver is used directly rather than through package postgres,
	// whose own tests use this package.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// EnvVar names the variable holding the test server's URL.
const EnvVar = "IMPRINT_TEST_POSTGRES"

// ServerURL returns the test server's URL, failing the test under CI and
// skipping it elsewhere when none is set.
func ServerURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(EnvVar)
	if u != "" {
		return u
	}
	msg := EnvVar + " is not set; point it at a PostgreSQL server, e.g. " +
		EnvVar + "='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'"
	if inCI() {
		tb.Fatal(msg + " (CI must test the PostgreSQL backend)")
	}
	tb.Skip(msg)
	return ""
}

func inCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v != "" && v != "false" && v != "0"
}

// SchemaURL creates an empty schema with a random name on the test server
// and returns the server URL with that schema as every connection's
// search_path. The schema and all in it are dropped when the test ends.
func SchemaURL(tb testing.TB) string {
	tb.Helper()
	base := ServerURL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u, drop, err := CreateSchema(ctx, base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvVar, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := drop(ctx); err != nil {
			tb.Error(err)
		}
	})
	return u
}

// CreateSchema creates an empty schema with a random name on the server at
// base and returns base with that schema as search_path, and a function
// that drops the schema with all in it. It is for data that outlives one
// test, such as benchmark data shared by several benchmarks; tests use
// SchemaURL.
func CreateSchema(ctx context.Context, base string) (schemaURL string, drop func(context.Context) error, err error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("server URL: %w", err)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	// Letters, digits and underscores only: the name needs no quoting. The
	// time in it lets later runs recognize a schema left behind by a run
	// that was killed before its cleanup.
	schema := fmt.Sprintf("%s%d_%s", schemaPrefix, time.Now().Unix(), hex.EncodeToString(b[:]))

	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	dropAbandoned(ctx, db)
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create test schema %s: %w", schema, err)
	}
	drop = func(ctx context.Context) error {
		defer db.Close()
		if _, err := db.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			return fmt.Errorf("drop test schema %s: %w", schema, err)
		}
		return nil
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

const schemaPrefix = "imprint_test_"

// abandonedAfter is how old a test schema must be to be taken for one left
// behind; no test run lasts that long.
const abandonedAfter = 6 * time.Hour

// dropAbandoned drops test schemas left behind by killed runs, so that a
// server that CI reuses does not fill up. Failing to is no reason to fail
// the test at hand.
func dropAbandoned(ctx context.Context, db *sql.DB) {
	rows, err := db.QueryContext(ctx, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'imprint\_test\_%'`)
	if err != nil {
		return
	}
	var old []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			break
		}
		stamp, _, ok := strings.Cut(strings.TrimPrefix(name, schemaPrefix), "_")
		sec, err := strconv.ParseInt(stamp, 10, 64)
		if ok && err == nil && time.Since(time.Unix(sec, 0)) > abandonedAfter {
			old = append(old, name)
		}
	}
	rows.Close()
	for _, name := range old {
		quoted := `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		_, _ = db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+quoted+` CASCADE`)
	}
}
