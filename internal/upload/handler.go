package upload

import (
	"errors"
	"net/http"
	"strings"
)

// filePolicy is the Content-Security-Policy of every served file. A file
// is never a web page: should a browser render one as a document anyway,
// it could run no script, load nothing and submit nothing (sandbox,
// default-src 'none'). Only pages of this site may frame a file, so that
// the admin can preview one.
//
// PDFs get the same policy. The browsers' own viewers are not subject to
// it: Chromium 156 (its out-of-process PDF viewer) and Firefox ESR 153
// (pdf.js) both render a PDF served with it, opened directly or in a
// same-origin iframe; the browser test checks Chromium's. Chromium
// versions from before that viewer were reported to draw nothing for a
// sandboxed PDF, which is the price of never running a document's script
// in the site's origin.
const filePolicy = "sandbox; default-src 'none'; frame-ancestors 'self'"

// Handler serves GET and HEAD /files/{key}: the stored file with the type
// it was sniffed as, never one taken from the request, cacheable forever
// (a key never changes meaning), with its hash as ETag, answering
// conditional and Range requests. Anything but a well-formed key of a
// stored file is 404. It also works mounted with http.StripPrefix, when
// the path is just "/{key}".
func (s *Store) Handler() http.Handler {
	return http.HandlerFunc(s.serve)
}

func (s *Store) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", filePolicy)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	key := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/files"), "/")
	if !ValidKey(key) {
		http.NotFound(w, r)
		return
	}
	f, info, err := s.Open(key)
	if errors.Is(err, ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "the file cannot be read", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	h.Set("Content-Type", info.MediaType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	// The key is the hash of the bytes, so it is a strong validator;
	// ServeContent answers If-None-Match and If-Range with it.
	h.Set("ETag", `"`+key+`"`)
	if info.Kind == PDF {
		// The key is letters, digits, "-" and ".", so it needs no quoting
		// beyond the quotes themselves.
		h.Set("Content-Disposition", `inline; filename="`+key+`"`)
	}
	http.ServeContent(w, r, key, info.ModTime, f)
}
