package web

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseTemplatesFailsFast(t *testing.T) {
	good := fstest.MapFS{}
	if err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		good[p] = &fstest.MapFile{Data: b}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := parseTemplates(good); err != nil {
		t.Fatalf("the embedded templates do not parse: %v", err)
	}
	with := func(name, text string) fstest.MapFS {
		m := fstest.MapFS{}
		for k, v := range good {
			m[k] = v
		}
		if text == "" {
			delete(m, name)
		} else {
			m[name] = &fstest.MapFile{Data: []byte(text)}
		}
		return m
	}
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		wantErr string
	}{
		{"syntax error", with("templates/home.html", `{{define "main"}}{{if}}{{end}}`), "home.html"},
		{"no main block", with("templates/home.html", `<p>hello</p>`), `home.html defines no "main"`},
		{"missing page", with("templates/cite.html", ""), "cite.html is missing"},
		{"broken layout", with("templates/layout.html", `{{define "layout"}}{{.Title`), "layout.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTemplates(tt.fsys)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}
