// Package upload stores the files editors attach to records — the PDF of a
// publication's full text, an expert's photo — on disk under the data
// directory, addressed by their content, and serves them back.
//
// A file's key is "sha256-<64 hex digits>.<ext>": the SHA-256 of its bytes
// and an extension taken from its sniffed type, never from the name it was
// uploaded under. The same bytes always get the same key and are stored
// once, so a key never changes meaning and can be cached forever. Files
// live in a two-level fan-out, Dir/ab/cd/<key> for a hash starting "abcd…",
// so that no directory grows to millions of entries.
//
// The serve command wires it up like this:
//
//	uploads, err := upload.Open(upload.Config{Dir: filepath.Join(dataDir, "uploads")})
//	if err != nil { … }
//	mux.Handle("GET /files/", uploads.Handler()) // GET patterns match HEAD too
//	admin.New(admin.Config{…, Uploads: uploads})
//
// Pages link to a file with URLPath(key). A form bounds its request body by
// the kind's MaxSize before handing the file to Put, which enforces the
// limit again while it reads.
package upload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/model"
)

// Kind is a class of file a caller may accept: a form field for a PDF
// accepts PDF, one for a portrait accepts Image.
type Kind int

const (
	// PDF is a PDF document (application/pdf).
	PDF Kind = iota + 1
	// Image is a JPEG, PNG or WebP picture. GIF is not accepted: it has no
	// place in a portrait, and animated GIFs are large.
	Image
)

// String names the kind for messages: "PDF", "image".
func (k Kind) String() string {
	switch k {
	case PDF:
		return "PDF"
	case Image:
		return "image"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Default size limits, used when Config leaves a limit at zero.
const (
	DefaultMaxPDF   int64 = 50 << 20
	DefaultMaxImage int64 = 5 << 20
)

// Config says where files are kept and how large they may be.
type Config struct {
	// Dir is the directory holding the files, usually "uploads" in the
	// data directory; Open creates it.
	Dir string
	// MaxPDF is the largest PDF accepted, in bytes; 0 means DefaultMaxPDF.
	MaxPDF int64
	// MaxImage is the largest image accepted, in bytes; 0 means
	// DefaultMaxImage.
	MaxImage int64
}

// Errors Put and Open return, wrapped with the details (which file, which
// limit, which type was found); test for them with errors.Is.
var (
	// ErrTooLarge means the file is larger than its kind's limit.
	ErrTooLarge = errors.New("file too large")
	// ErrType means the content is not of a kind the caller accepts, or
	// not a well-formed file of that kind.
	ErrType = errors.New("file type not accepted")
	// ErrNotFound means no file is stored under the key, or the key is
	// not one Put could have returned.
	ErrNotFound = errors.New("no such file")
)

// Info describes a stored file.
type Info struct {
	Key       string
	Kind      Kind
	MediaType string // "application/pdf", "image/jpeg"…
	Size      int64
	ModTime   time.Time
}

// Store keeps content-addressed files in one directory. It is safe for
// concurrent use, also by several processes sharing the directory.
type Store struct {
	dir      string
	maxPDF   int64
	maxImage int64
}

// tempPrefix begins the names of files being written; they sit in Dir
// itself, on the same file system as their final place, so that the
// rename that publishes them is atomic. No key begins with it.
const tempPrefix = ".incoming-"

// staleTemp is how old a temporary file must be before Open removes it as
// left over from a crash; no upload takes that long.
const staleTemp = 24 * time.Hour

// Open returns the store in cfg.Dir, creating the directory (mode 0750)
// when it is missing, and checks that files can be written there, so that
// a misconfigured data directory stops the server at start-up rather than
// the first upload.
func Open(cfg Config) (*Store, error) {
	if strings.TrimSpace(cfg.Dir) == "" {
		return nil, errors.New("upload: Config.Dir is empty")
	}
	if cfg.MaxPDF < 0 {
		return nil, fmt.Errorf("upload: Config.MaxPDF is %d; want a positive size in bytes, or 0 for the default", cfg.MaxPDF)
	}
	if cfg.MaxImage < 0 {
		return nil, fmt.Errorf("upload: Config.MaxImage is %d; want a positive size in bytes, or 0 for the default", cfg.MaxImage)
	}
	s := &Store{dir: filepath.Clean(cfg.Dir), maxPDF: cfg.MaxPDF, maxImage: cfg.MaxImage}
	if s.maxPDF == 0 {
		s.maxPDF = DefaultMaxPDF
	}
	if s.maxImage == 0 {
		s.maxImage = DefaultMaxImage
	}
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return nil, fmt.Errorf("upload: create %s: %w", s.dir, err)
	}
	f, err := os.CreateTemp(s.dir, tempPrefix+"check-*")
	if err != nil {
		return nil, fmt.Errorf("upload: %s is not writable: %w", s.dir, err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return nil, fmt.Errorf("upload: %sremove test file: %w", s.dir, err)
	}
	s.removeStaleTemps(time.Now())
	return s, nil
}

// removeStaleTemps deletes temporary files a crashed upload left behind.
// Failing to is harmless: they are never served.
func (s *Store) removeStaleTemps(now time.Time) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tempPrefix) || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > staleTemp {
			os.Remove(filepath.Join(s.dir, e.Name()))
		}
	}
}

// MaxSize returns the largest file of kind k the store accepts, for callers
// that bound a request body before handing it to Put; 0 for an unknown
// kind.
func (s *Store) MaxSize(k Kind) int64 {
	switch k {
	case PDF:
		return s.maxPDF
	case Image:
		return s.maxImage
	}
	return 0
}

// Put stores the content of r and returns its key. The type is sniffed
// from the first bytes and must be one of allowed (any kind when allowed
// is empty); name, the file's name on the uploader's computer, appears in
// error messages only. Content is streamed to a temporary file while it is
// hashed, never held in memory, and the read stops as soon as it passes
// the limit of its kind. Storing bytes that are already stored returns the
// same key and keeps one copy; concurrent Puts of the same bytes are safe.
func (s *Store) Put(ctx context.Context, r io.Reader, name string, allowed ...Kind) (key string, err error) {
	// Every error names the uploaded file, when it has a name.
	label := displayName(name)
	if len(allowed) == 0 {
		allowed = []Kind{PDF, Image}
	}
	for _, k := range allowed {
		if s.MaxSize(k) == 0 {
			return "", fmt.Errorf("upload: %sunknown kind %v", label, k)
		}
	}
	r = ctxReader{ctx: ctx, r: r}

	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("upload: %sread: %w", label, err)
	}
	head = head[:n]
	f, err := sniff(head)
	if err != nil {
		return "", fmt.Errorf("upload: %s%w; want %s", label, err, wanted(allowed))
	}
	if !kindIn(f.kind, allowed) {
		return "", fmt.Errorf("upload: %s%w: it is %s; want %s", label, ErrType, f.name, wanted(allowed))
	}
	limit := s.MaxSize(f.kind)

	tmp, err := os.CreateTemp(s.dir, tempPrefix+"*")
	if err != nil {
		return "", fmt.Errorf("upload: %screate temporary file: %w", label, err)
	}
	tmpName := tmp.Name()
	published := false
	defer func() {
		if !published {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()

	h := sha256.New()
	w := io.MultiWriter(tmp, h)
	if _, err := w.Write(head); err != nil {
		return "", fmt.Errorf("upload: %swrite: %w", label, err)
	}
	// Reading one byte past the limit tells a file of exactly the limit
	// from a larger one without reading the rest of the larger one.
	copied, err := io.Copy(w, io.LimitReader(r, limit-int64(len(head))+1))
	var bodyLimit *http.MaxBytesError
	if errors.As(err, &bodyLimit) {
		// The caller's own bound on the request body (http.MaxBytesReader)
		// stopped the read: the file is too large all the same.
		return "", fmt.Errorf("upload: %s%w: the request may be at most %s (%w)", label, ErrTooLarge, formatSize(bodyLimit.Limit), err)
	}
	if err != nil {
		return "", fmt.Errorf("upload: %s%w", label, err)
	}
	size := int64(len(head)) + copied
	if size > limit {
		return "", fmt.Errorf("upload: %s%w: %ss may be at most %s", label, ErrTooLarge, kindNoun(f.kind), formatSize(limit))
	}
	if f.kind == Image {
		if err := checkImage(tmp, f); err != nil {
			return "", fmt.Errorf("upload: %s%w", label, err)
		}
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("upload: %ssync: %w", label, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("upload: %sclose: %w", label, err)
	}
	// Read-only for the owner and group: a stored file never changes.
	if err := os.Chmod(tmpName, 0o440); err != nil {
		return "", fmt.Errorf("upload: %schmod: %w", label, err)
	}

	sum := hex.EncodeToString(h.Sum(nil))
	key = "sha256-" + sum + "." + f.ext
	final := s.path(key)
	if fi, err := os.Stat(final); err == nil && fi.Mode().IsRegular() && fi.Size() == size {
		// Already stored: same hash, same size, so the same bytes.
		return key, nil
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("upload: %screate %s: %w", label, dir, err)
	}
	// Two Puts of the same bytes may both get here; each renames its own
	// complete copy over the other, so the key always names whole content.
	if err := os.Rename(tmpName, final); err != nil {
		return "", fmt.Errorf("upload: %sstore as %s: %w", label, key, err)
	}
	published = true
	// The rename is durable only once the directories holding it are: the
	// fan-out directories, which MkdirAll may just have made, and Dir,
	// which the temporary file left.
	for d := dir; ; d = filepath.Dir(d) {
		if err := syncDir(d); err != nil {
			return "", fmt.Errorf("upload: %ssync %s: %w", label, d, err)
		}
		if d == s.dir || d == filepath.Dir(d) {
			break
		}
	}
	return key, nil
}

// Open opens the file stored under key. The caller closes it. A key that
// is malformed or names nothing gives an error wrapping ErrNotFound.
func (s *Store) Open(key string) (*os.File, Info, error) {
	f, ok := formatOfKey(key)
	if !ok {
		return nil, Info{}, fmt.Errorf("upload: open %q: %w (not an upload key)", key, ErrNotFound)
	}
	file, err := os.Open(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Info{}, fmt.Errorf("upload: open %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, Info{}, fmt.Errorf("upload: open %s: %w", key, err)
	}
	fi, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, Info{}, fmt.Errorf("upload: stat %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		file.Close()
		return nil, Info{}, fmt.Errorf("upload: open %s: %w (not a regular file)", key, ErrNotFound)
	}
	return file, Info{Key: key, Kind: f.kind, MediaType: f.mediaType, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// Has reports whether a file is stored under key.
func (s *Store) Has(key string) bool {
	if _, ok := formatOfKey(key); !ok {
		return false
	}
	fi, err := os.Stat(s.path(key))
	return err == nil && fi.Mode().IsRegular()
}

// URLPath returns the path a stored file is served at: "/files/<key>".
func URLPath(key string) string { return "/files/" + key }

// path returns where key is kept: Dir/ab/cd/key. Callers have checked
// that key is well formed, so it holds no separator or "..".
func (s *Store) path(key string) string {
	h := key[len(keyPrefix):]
	return filepath.Join(s.dir, h[0:2], h[2:4], key)
}

// keyPrefix begins every key; the hash follows it.
const keyPrefix = "sha256-"

// formatOfKey returns the format a key's extension names when key is one
// Put could have returned: the prefix, 64 lower-case hex digits and the
// extension of an accepted format. Nothing else reaches the file system.
func formatOfKey(key string) (format, bool) {
	ext, ok := model.UploadKeyExt(key)
	if !ok {
		return format{}, false
	}
	for _, f := range formats {
		if ext == f.ext {
			return f, true
		}
	}
	return format{}, false
}

// ValidKey reports whether key has the form of a key Put returns, whether
// or not a file is stored under it.
func ValidKey(key string) bool {
	_, ok := formatOfKey(key)
	return ok
}

// KindOf returns the kind of file key names, read from its extension, or
// 0 when key is not one Put could have returned; pages use it to link a
// record's PDF or show its photo only when the key names one.
func KindOf(key string) Kind {
	f, _ := formatOfKey(key)
	return f.kind
}

func kindIn(k Kind, ks []Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// wanted says what allowed accepts: "a PDF", "a JPEG, PNG or WebP image".
func wanted(allowed []Kind) string {
	var parts []string
	for _, k := range allowed {
		switch k {
		case PDF:
			parts = append(parts, "a PDF")
		case Image:
			parts = append(parts, "a JPEG, PNG or WebP image")
		}
	}
	return strings.Join(parts, " or ")
}

func kindNoun(k Kind) string {
	if k == Image {
		return "Image"
	}
	return k.String()
}

// formatSize writes a limit for people: "50 MiB", "512 KiB", "1000 bytes".
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// displayName is the uploader's file name as error messages begin with
// it: its base name only, quoted, at most 100 characters, and followed by
// ": "; "" when there is none.
func displayName(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		return ""
	}
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100]) + "…"
	}
	return fmt.Sprintf("%q: ", name)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ctxReader stops a read once its context is done, so that an abandoned
// upload stops streaming to disk.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
