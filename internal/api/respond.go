package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/imprintpub/imprint/internal/store"
)

// jsonType is the media type of every response but errors' own, which
// share it.
const jsonType = "application/json; charset=utf-8"

// writeJSON answers a read with v encoded as JSON. The ETag is a hash of
// the body, so it changes exactly when the response would; a client that
// already holds it gets 304 without the body.
func (s *server) writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	body, err := encode(v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.writeBody(w, r, jsonType, body)
}

// writeBody answers a read with body, whose media type is ctype.
func (s *server) writeBody(w http.ResponseWriter, r *http.Request, ctype string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	setCORS(h)
	h.Set("ETag", etag)
	h.Set("Cache-Control", s.cacheControl)
	if noneMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// encode writes v as indented JSON. Markup in titles stays as written:
// the API is read by programs, not parsed as HTML.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// setCORS lets pages on any origin read the API; it is public and
// read-only, and sends no credentials-dependent content.
func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag")
}

// noneMatch reports whether an If-None-Match header matches etag. The
// comparison is weak, as RFC 9110 requires for If-None-Match: a W/ prefix
// a cache added does not stop a match.
func noneMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// errorBody is the shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with a JSON error. Errors are not cached: the record
// may appear a moment later.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	h := w.Header()
	setCORS(h)
	h.Set("Content-Type", jsonType)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	b, _ := encode(errorBody{errorDetail{code, message}}) // two strings always encode
	_, _ = w.Write(b)
}

// badParam answers 400 for a query parameter that cannot be used.
func badParam(w http.ResponseWriter, r *http.Request, name, message string) {
	writeError(w, r, http.StatusBadRequest, "bad_parameter", "parameter "+name+": "+message)
}

// serverError logs err and answers 500 without its details, which may
// name database internals.
func (s *server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
		// The client went away; nobody reads the answer.
		return
	}
	s.log.ErrorContext(r.Context(), "api", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, r, http.StatusInternalServerError, "internal", "the server failed to answer; try again later")
}

// storeError answers for an error from the store: ErrNotFound is a 404
// naming what was asked for, anything else a 500.
func (s *server) storeError(w http.ResponseWriter, r *http.Request, what string, err error) {
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, r, http.StatusNotFound, "not_found", what+" not found")
		return
	}
	s.serverError(w, r, err)
}
