package upload

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// serveFile puts data in a new store and returns the store's handler and
// the file's key.
func serveFile(t *testing.T, data []byte, kinds ...Kind) (http.Handler, string) {
	t.Helper()
	s := openStore(t, Config{})
	key, err := s.Put(context.Background(), bytes.NewReader(data), "f", kinds...)
	if err != nil {
		t.Fatal(err)
	}
	return s.Handler(), key
}

func do(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandlerServes(t *testing.T) {
	pdf := onePagePDF("Served")
	jpg := encodeJPEG(t, picture(40, 30))
	webp := testdata(t, "lossless.webp")
	tests := []struct {
		name, mediaType string
		data            []byte
		disposition     string
	}{
		{"PDF", "application/pdf", pdf, `inline; filename="` + keyOf(pdf, "pdf") + `"`},
		{"JPEG", "image/jpeg", jpg, ""},
		{"WebP", "image/webp", webp, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, key := serveFile(t, tt.data)
			rec := do(h, "GET", URLPath(key), nil)
			if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), tt.data) {
				t.Fatalf("GET: %d with %d bytes; want 200 with the %d bytes stored", rec.Code, rec.Body.Len(), len(tt.data))
			}
			want := map[string]string{
				"Content-Type":            tt.mediaType,
				"X-Content-Type-Options":  "nosniff",
				"Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'self'",
				"Cache-Control":           "public, max-age=31536000, immutable",
				"ETag":                    `"` + key + `"`,
				"Content-Disposition":     tt.disposition,
				"Accept-Ranges":           "bytes",
				"Content-Length":          itoa(len(tt.data)),
			}
			for k, v := range want {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if rec.Header().Get("Last-Modified") == "" {
				t.Error("no Last-Modified")
			}

			head := do(h, "HEAD", URLPath(key), nil)
			if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != itoa(len(tt.data)) ||
				head.Header().Get("Content-Type") != tt.mediaType {
				t.Errorf("HEAD: %d, %d body bytes, headers %v", head.Code, head.Body.Len(), head.Header())
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestHandlerConditionalAndRange(t *testing.T) {
	pdf := onePagePDF("Conditional")
	h, key := serveFile(t, pdf, PDF)
	etag := `"` + key + `"`
	path := URLPath(key)
	lastMod := do(h, "GET", path, nil).Header().Get("Last-Modified")

	tests := []struct {
		name   string
		method string
		header map[string]string
		code   int
		body   string // checked when not empty
		range_ string // Content-Range, when set
	}{
		{"If-None-Match with the ETag", "GET", map[string]string{"If-None-Match": etag}, 304, "", ""},
		{"If-None-Match among others", "GET", map[string]string{"If-None-Match": `"x", ` + etag}, 304, "", ""},
		{"If-None-Match, HEAD", "HEAD", map[string]string{"If-None-Match": etag}, 304, "", ""},
		{"If-None-Match with another tag", "GET", map[string]string{"If-None-Match": `"sha256-other.pdf"`}, 200, string(pdf), ""},
		{"If-Modified-Since", "GET", map[string]string{"If-Modified-Since": lastMod}, 304, "", ""},
		{"Range", "GET", map[string]string{"Range": "bytes=0-7"}, 206, "%PDF-1.7", "bytes 0-7/" + itoa(len(pdf))},
		{"suffix Range", "GET", map[string]string{"Range": "bytes=-6"}, 206, "%%EOF\n", "bytes " + itoa(len(pdf)-6) + "-" + itoa(len(pdf)-1) + "/" + itoa(len(pdf))},
		{"If-Range with the ETag", "GET", map[string]string{"Range": "bytes=0-3", "If-Range": etag}, 206, "%PDF", ""},
		{"If-Range with another tag sends everything", "GET", map[string]string{"Range": "bytes=0-3", "If-Range": `"old"`}, 200, string(pdf), ""},
		{"unsatisfiable Range", "GET", map[string]string{"Range": "bytes=999999-"}, 416, "", "bytes */" + itoa(len(pdf))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, tt.method, path, tt.header)
			if rec.Code != tt.code {
				t.Fatalf("status %d, want %d", rec.Code, tt.code)
			}
			if tt.body != "" && rec.Body.String() != tt.body {
				t.Errorf("body %q, want %q", rec.Body.String(), tt.body)
			}
			if tt.range_ != "" && rec.Header().Get("Content-Range") != tt.range_ {
				t.Errorf("Content-Range %q, want %q", rec.Header().Get("Content-Range"), tt.range_)
			}
			if tt.code == 304 && rec.Body.Len() != 0 {
				t.Errorf("304 with a body of %d bytes", rec.Body.Len())
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
		})
	}
}

func TestHandlerRefuses(t *testing.T) {
	pdf := onePagePDF("Refuse")
	h, key := serveFile(t, pdf, PDF)
	hash := key[len(keyPrefix) : len(keyPrefix)+64]
	tests := []struct {
		name, method, target string
		code                 int
	}{
		{"missing file", "GET", "/files/sha256-" + strings.Repeat("a", 64) + ".pdf", 404},
		{"other extension of a stored hash", "GET", "/files/sha256-" + hash + ".jpg", 404},
		{"traversal", "GET", "/files/../../etc/passwd", 404},
		{"encoded traversal", "GET", "/files/..%2f..%2fetc%2fpasswd", 404},
		{"fan-out path", "GET", "/files/" + hash[:2] + "/" + hash[2:4] + "/" + key, 404},
		{"directory", "GET", "/files/", 404},
		{"upper case", "GET", "/files/" + strings.ToUpper(key), 404},
		{"trailing slash", "GET", "/files/" + key + "/", 404},
		{"POST", "POST", URLPath(key), 405},
		{"DELETE", "DELETE", URLPath(key), 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, tt.method, tt.target, nil)
			if rec.Code != tt.code {
				t.Fatalf("%s %s: %d, want %d", tt.method, tt.target, rec.Code, tt.code)
			}
			if ct := rec.Header().Get("Content-Type"); strings.Contains(ct, "pdf") {
				t.Errorf("refusal served as %q", ct)
			}
			if tt.code == 405 && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q", rec.Header().Get("Allow"))
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("refusal without nosniff")
			}
		})
	}
}

// TestHandlerMounted serves through a ServeMux the way the serve command
// mounts the handler, and through http.StripPrefix.
func TestHandlerMounted(t *testing.T) {
	pdf := onePagePDF("Mounted")
	h, key := serveFile(t, pdf, PDF)
	mux := http.NewServeMux()
	mux.Handle("GET /files/", h)
	mux.Handle("GET /stripped/", http.StripPrefix("/stripped", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, p := range []string{"/files/" + key, "/stripped/" + key} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !bytes.Equal(body, pdf) || res.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("GET %s: %d, %s, %d bytes", p, res.StatusCode, res.Header.Get("Content-Type"), len(body))
		}
	}
	// The client cleans "..", and ServeMux redirects a path with one; the
	// raw request still must not reach a file outside the store.
	res, err := http.Get(srv.URL + "/files/%2e%2e/%2e%2e/" + key)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == 200 {
		t.Errorf("a path with encoded dots answered 200")
	}
}
