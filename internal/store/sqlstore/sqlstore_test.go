package sqlstore

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestNumberPlaceholders(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"status = 'why?' AND id = ?", "status = 'why?' AND id = $1"},
		{"x = 'it''s' AND y IN (?, ?, ?)", "x = 'it''s' AND y IN ($1, $2, $3)"},
	}
	for _, tt := range tests {
		if got := numberPlaceholders(tt.in); got != tt.want {
			t.Errorf("numberPlaceholders(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoadMigrations(t *testing.T) {
	good := fstest.MapFS{
		"0002_search.sql": {Data: []byte("CREATE TABLE b (x INTEGER);")},
		"0001_init.sql":   {Data: []byte("CREATE TABLE a (x INTEGER);")},
		"README.md":       {Data: []byte("not a migration")},
	}
	ms, err := LoadMigrations(good)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Name)
	}
	if !reflect.DeepEqual(got, []string{"init", "search"}) || ms[1].Version != 2 {
		t.Errorf("LoadMigrations = %+v", ms)
	}
	tests := []struct {
		name string
		fs   fstest.MapFS
		msg  string
	}{
		{"gap", fstest.MapFS{"0001_a.sql": {}, "0003_c.sql": {}}, "expected version 2, found 0003_c.sql"},
		{"duplicate", fstest.MapFS{"0001_a.sql": {}, "0001_b.sql": {}}, "expected version 2"},
		{"unnumbered", fstest.MapFS{"init.sql": {}}, "init.sql: want a name like 0001_init.sql"},
		{"zero", fstest.MapFS{"0000_x.sql": {}}, "0000_x.sql"},
	}
	for _, tt := range tests {
		_, err := LoadMigrations(tt.fs)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.msg)
		}
	}
}

func TestChunks(t *testing.T) {
	got := chunks([]int64{1, 2, 3, 4, 5}, 2)
	if want := [][]int64{{1, 2}, {3, 4}, {5}}; !reflect.DeepEqual(got, want) {
		t.Errorf("chunks = %v, want %v", got, want)
	}
	if got := chunks(nil, 2); got != nil {
		t.Errorf("chunks(nil) = %v", got)
	}
}
