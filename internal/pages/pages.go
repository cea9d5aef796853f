// Package pages holds what Imprint's server-rendered sites — the public
// pages and the editors' admin — share: templates parsed once at start-up,
// versioned static assets, and the security headers every page carries.
package pages

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
)

// ContentSecurityPolicy allows only same-origin scripts and styles: no
// inline script or style anywhere in the templates, and no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// SetSecurityHeaders sets the headers every page carries; referrer is the
// Referrer-Policy ("strict-origin-when-cross-origin" for public pages,
// "same-origin" where addresses say more than they should).
func SetSecurityHeaders(h http.Header, referrer string) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", referrer)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
}

// ParseTemplates parses each page template of fsys (templates/*.html)
// together with the shared ones, which every page may call, once at
// start-up, so that a broken template stops the server before it serves.
// Each page must define a "main" block, and every name in required must be
// a page. Pages are returned by base name without ".html".
func ParseTemplates(fsys fs.FS, shared []string, funcs template.FuncMap, required []string) (map[string]*template.Template, error) {
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	base, err := template.New("").Funcs(funcs).ParseFS(fsys, shared...)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	out := map[string]*template.Template{}
	for _, p := range names {
		if slices.Contains(shared, p) {
			continue
		}
		clone, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		t, err := clone.ParseFS(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("templates: %s: %w", p, err)
		}
		if t.Lookup("main") == nil {
			return nil, fmt.Errorf("templates: %s defines no \"main\" block", p)
		}
		out[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	for _, name := range required {
		if out[name] == nil {
			return nil, fmt.Errorf("templates: templates/%s.html is missing", name)
		}
	}
	return out, nil
}

// Render executes the page's "layout" template with data and sends it with
// status. The page is rendered in full before anything is written, so that
// a template failing halfway returns its error and the caller can still
// answer with an error page.
func Render(w http.ResponseWriter, t *template.Template, status int, data any) error {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	return nil
}

// AssetVersion hashes every file under dir of fsys: it changes whenever a
// static file changes, and pages append it to asset URLs ("?v=…") so that
// browsers may keep the files for a long time.
func AssetVersion(fsys fs.FS, dir string) string {
	h := sha256.New()
	_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// Static serves the files of fsys after taking strip off the request path
// (so that "/admin/static/x" maps to "static/x" with strip "/admin").
// Directories are not listed. A request naming the current version may be
// kept for a year; others for five minutes.
func Static(fsys fs.FS, strip, version string) http.Handler {
	files := http.StripPrefix(strip, http.FileServerFS(fsys))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") == version {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		files.ServeHTTP(w, r)
	})
}
