package pages

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseTemplates(t *testing.T) {
	layout := &fstest.MapFile{Data: []byte(`{{define "layout"}}<main>{{template "main" .}}</main>{{end}}`)}
	tests := []struct {
		name    string
		fs      fstest.MapFS
		wantErr string
	}{
		{"ok", fstest.MapFS{"templates/layout.html": layout,
			"templates/home.html": {Data: []byte(`{{define "main"}}hi {{.}}{{end}}`)}}, ""},
		{"page without main", fstest.MapFS{"templates/layout.html": layout,
			"templates/home.html": {Data: []byte(`{{define "body"}}x{{end}}`)}}, `home.html defines no "main" block`},
		{"required page missing", fstest.MapFS{"templates/layout.html": layout}, "templates/home.html is missing"},
		{"broken page", fstest.MapFS{"templates/layout.html": layout,
			"templates/home.html": {Data: []byte(`{{define "main"}}{{.Oops}`)}}, "templates/home.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTemplates(tt.fs, []string{"templates/layout.html"}, nil, []string{"home"})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := got["home"].ExecuteTemplate(&b, "layout", "<you>"); err != nil {
				t.Fatal(err)
			}
			if b.String() != "<main>hi &lt;you&gt;</main>" {
				t.Errorf("rendered %q", b.String())
			}
			if _, ok := got["layout"]; ok {
				t.Error("the shared layout is listed as a page")
			}
		})
	}
}

func TestStatic(t *testing.T) {
	fsys := fstest.MapFS{"static/site.css": {Data: []byte("body{}")}}
	v := AssetVersion(fsys, "static")
	if len(v) != 12 || v == AssetVersion(fstest.MapFS{"static/site.css": {Data: []byte("body{ }")}}, "static") {
		t.Fatalf("version %q does not follow the content", v)
	}
	h := Static(fsys, "/admin", v)
	for _, tt := range []struct {
		target, cache string
		status        int
	}{
		{"/admin/static/site.css?v=" + v, "public, max-age=31536000, immutable", 200},
		{"/admin/static/site.css?v=old", "public, max-age=300", 200},
		{"/admin/static/", "", 404},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.target, nil))
		if rec.Code != tt.status || rec.Header().Get("Cache-Control") != tt.cache {
			t.Errorf("%s: %d %q, want %d %q", tt.target, rec.Code, rec.Header().Get("Cache-Control"), tt.status, tt.cache)
		}
	}
}
