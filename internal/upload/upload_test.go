package upload

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func openStore(t *testing.T, cfg Config) *Store {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = filepath.Join(t.TempDir(), "uploads")
	}
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func keyOf(data []byte, ext string) string {
	sum := sha256.Sum256(data)
	return "sha256-" + hex.EncodeToString(sum[:]) + "." + ext
}

// files lists the regular files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpen(t *testing.T) {
	t.Run("creates the directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data", "uploads")
		s, err := Open(Config{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o750 {
			t.Fatalf("Dir: %v, %v; want a directory with mode 0750", fi, err)
		}
		if s.MaxSize(PDF) != DefaultMaxPDF || s.MaxSize(Image) != DefaultMaxImage || s.MaxSize(Kind(9)) != 0 {
			t.Errorf("limits %d, %d, %d; want the defaults and 0", s.MaxSize(PDF), s.MaxSize(Image), s.MaxSize(Kind(9)))
		}
		if got := files(t, dir); len(got) != 0 {
			t.Errorf("Open left files behind: %v", got)
		}
	})
	t.Run("removes stale temporary files only", func(t *testing.T) {
		dir := t.TempDir()
		old := filepath.Join(dir, tempPrefix+"old")
		fresh := filepath.Join(dir, tempPrefix+"fresh")
		for _, p := range []string{old, fresh} {
			if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		long := time.Now().Add(-2 * staleTemp)
		if err := os.Chtimes(old, long, long); err != nil {
			t.Fatal(err)
		}
		openStore(t, Config{Dir: dir})
		if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stale temporary file: %v; want it removed", err)
		}
		if _, err := os.Stat(fresh); err != nil {
			t.Errorf("fresh temporary file (an upload in progress): %v; want it kept", err)
		}
	})
	bad := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no directory", Config{}, "Config.Dir is empty"},
		{"negative PDF limit", Config{Dir: t.TempDir(), MaxPDF: -1}, "Config.MaxPDF"},
		{"negative image limit", Config{Dir: t.TempDir(), MaxImage: -5}, "Config.MaxImage"},
		{"directory is a file", Config{Dir: filepath.Join(writeFile(t, "plain"), "uploads")}, "create"},
	}
	if os.Geteuid() != 0 {
		// Root writes anywhere, so the permission check cannot fail for it.
		ro := t.TempDir()
		os.Chmod(ro, 0o500)
		bad = append(bad, struct {
			name string
			cfg  Config
			want string
		}{"read-only directory", Config{Dir: ro}, "not writable"})
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open(%+v) = %v; want an error saying %q", tt.cfg, err, tt.want)
			}
		})
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPut(t *testing.T) {
	pic := picture(40, 30)
	pdf := onePagePDF("Report")
	jpg := encodeJPEG(t, pic)
	tests := []struct {
		name    string
		data    []byte
		file    string
		allowed []Kind
		wantExt string // "" when refused
		wantErr error
		errHas  []string
	}{
		{name: "PDF as PDF", data: pdf, file: "report.pdf", allowed: []Kind{PDF}, wantExt: "pdf"},
		{name: "JPEG as image", data: jpg, file: "me.jpeg", allowed: []Kind{Image}, wantExt: "jpg"},
		{name: "PNG as image", data: encodePNG(t, pic), file: "me.png", allowed: []Kind{Image}, wantExt: "png"},
		{name: "WebP as image", data: testdata(t, "lossy.webp"), file: "me.webp", allowed: []Kind{Image}, wantExt: "webp"},
		{name: "any kind when none is named", data: pdf, file: "x", wantExt: "pdf"},
		{name: "either kind", data: jpg, file: "x", allowed: []Kind{PDF, Image}, wantExt: "jpg"},
		{name: "the name does not decide the type", data: jpg, file: "portrait.pdf", allowed: []Kind{Image}, wantExt: "jpg"},

		{name: "image where a PDF is wanted", data: jpg, file: "report.pdf", allowed: []Kind{PDF}, wantErr: ErrType,
			errHas: []string{`"report.pdf"`, "a JPEG image", "want a PDF"}},
		{name: "PDF where an image is wanted", data: pdf, file: "me.jpg", allowed: []Kind{Image}, wantErr: ErrType,
			errHas: []string{"it is a PDF", "want a JPEG, PNG or WebP image"}},
		{name: "SVG", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), file: "me.svg", allowed: []Kind{Image},
			wantErr: ErrType, errHas: []string{"SVG"}},
		{name: "HTML called a PDF", data: []byte("<html><script>alert(1)</script></html>"), file: "report.pdf", allowed: []Kind{PDF},
			wantErr: ErrType, errHas: []string{"HTML"}},
		{name: "GIF", data: encodeGIF(t, pic), file: "me.gif", allowed: []Kind{Image}, wantErr: ErrType, errHas: []string{"GIF"}},
		{name: "empty", data: nil, file: "empty.pdf", allowed: []Kind{PDF}, wantErr: ErrType, errHas: []string{"empty"}},
		{name: "JPEG cut after its signature", data: jpg[:20], file: "me.jpg", allowed: []Kind{Image}, wantErr: ErrType,
			errHas: []string{"JPEG image that cannot be read"}},
		{name: "PNG with a bad header", data: append(append([]byte{}, encodePNG(t, pic)[:16]...), 0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0),
			file: "me.png", allowed: []Kind{Image}, wantErr: ErrType, errHas: []string{"PNG image that cannot be read"}},
		{name: "a path as the name is quoted by its base only", data: []byte("hello"), file: `C:\Users\ann\..\secret\notes.txt`,
			allowed: []Kind{PDF}, wantErr: ErrType, errHas: []string{`"notes.txt"`, "a text file"}},
		{name: "no name", data: []byte("hi"), file: " ", allowed: []Kind{PDF}, wantErr: ErrType,
			errHas: []string{"upload: file type not accepted: it is a text file; want a PDF"}},
		{name: "unknown kind", data: pdf, file: "x.pdf", allowed: []Kind{Kind(7)}, errHas: []string{"unknown kind Kind(7)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, Config{})
			key, err := s.Put(context.Background(), bytes.NewReader(tt.data), tt.file, tt.allowed...)
			if tt.wantExt == "" {
				if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("Put = %q, %v; want %v", key, err, tt.wantErr)
				}
				for _, s := range tt.errHas {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not say %q", err, s)
					}
				}
				if got := files(t, s.dir); len(got) != 0 {
					t.Errorf("a refused upload left files: %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := keyOf(tt.data, tt.wantExt); key != want {
				t.Fatalf("key %q, want %q", key, want)
			}
			h := key[len(keyPrefix):]
			if got, want := files(t, s.dir), []string{h[:2] + "/" + h[2:4] + "/" + key}; strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("files %v, want %v (fan-out, no temporary file left)", got, want)
			}
			f, info, err := s.Open(key)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, _ := io.ReadAll(f)
			if !bytes.Equal(got, tt.data) || info.Size != int64(len(tt.data)) || info.Key != key || info.ModTime.IsZero() {
				t.Errorf("stored %d bytes, info %+v; want the %d bytes put", len(got), info, len(tt.data))
			}
			if !s.Has(key) {
				t.Error("Has = false after Put")
			}
		})
	}
}

func TestPutIdempotent(t *testing.T) {
	s := openStore(t, Config{})
	pdf := onePagePDF("Same bytes")
	k1, err := s.Put(context.Background(), bytes.NewReader(pdf), "a.pdf", PDF)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := s.Put(context.Background(), bytes.NewReader(pdf), "b.pdf", PDF)
	if err != nil || k2 != k1 {
		t.Fatalf("second Put = %q, %v; want %q", k2, err, k1)
	}
	if got := files(t, s.dir); len(got) != 1 {
		t.Errorf("files after two Puts of the same bytes: %v; want one", got)
	}
	other := onePagePDF("Other bytes")
	k3, err := s.Put(context.Background(), bytes.NewReader(other), "a.pdf", PDF)
	if err != nil || k3 == k1 {
		t.Fatalf("Put of other bytes = %q, %v; want a new key", k3, err)
	}
}

func TestPutConcurrentSameBytes(t *testing.T) {
	s := openStore(t, Config{})
	pdf := bytes.Repeat(onePagePDF("Concurrent"), 200) // about 100 KiB, so that writes overlap
	want := keyOf(pdf, "pdf")
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	keys := make([]string, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			keys[i], errs[i] = s.Put(context.Background(), iotest{r: bytes.NewReader(pdf)}, "same.pdf", PDF)
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || keys[i] != want {
			t.Errorf("Put %d = %q, %v; want %q", i, keys[i], errs[i], want)
		}
	}
	if got := files(t, s.dir); len(got) != 1 {
		t.Fatalf("files: %v; want exactly one", got)
	}
	f, _, err := s.Open(want)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, _ := io.ReadAll(f)
	if !bytes.Equal(got, pdf) {
		t.Errorf("stored %d bytes, want the %d put", len(got), len(pdf))
	}
}

// iotest hands out at most 4 KiB per Read, as a network body does.
type iotest struct{ r io.Reader }

func (o iotest) Read(p []byte) (int, error) {
	if len(p) > 4096 {
		p = p[:4096]
	}
	return o.r.Read(p)
}

// endless is a PDF header followed by bytes that never end; it counts how
// much was read.
type endless struct {
	head []byte
	read int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	if len(e.head) > 0 {
		n = copy(p, e.head)
		e.head = e.head[n:]
	}
	for i := n; i < len(p); i++ {
		p[i] = ' '
	}
	e.read += int64(len(p))
	return len(p), nil
}

func TestPutLimits(t *testing.T) {
	const limit = 64 << 10
	s := openStore(t, Config{MaxPDF: limit, MaxImage: 3000})
	pdf := onePagePDF("x")
	exact := append(append([]byte{}, pdf...), bytes.Repeat([]byte{' '}, limit-len(pdf))...)
	if _, err := s.Put(context.Background(), bytes.NewReader(exact), "exact.pdf", PDF); err != nil {
		t.Errorf("a PDF of exactly the limit: %v", err)
	}
	over := append(exact, ' ')
	_, err := s.Put(context.Background(), bytes.NewReader(over), "big.pdf", PDF)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "PDFs may be at most 64 KiB") || !strings.Contains(err.Error(), `"big.pdf"`) {
		t.Errorf("a PDF one byte over the limit: %v; want ErrTooLarge naming the file and the limit", err)
	}

	// The limit stops the read: an endless body is not read to its end.
	e := &endless{head: []byte("%PDF-1.7\n")}
	_, err = s.Put(context.Background(), e, "endless.pdf", PDF)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("endless PDF: %v; want ErrTooLarge", err)
	}
	if e.read > limit+64<<10 {
		t.Errorf("read %d bytes of an endless body with a %d-byte limit", e.read, limit)
	}

	// Each kind has its own limit: a 3000-byte image limit refuses this
	// PNG, which the PDF limit would allow.
	noisy := image.NewGray(image.Rect(0, 0, 80, 80))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noisy.Pix {
		noisy.Pix[i] = uint8(rng.IntN(256))
	}
	png := encodePNG(t, noisy)
	if len(png) <= 3000 || len(png) > limit {
		t.Fatalf("test PNG is %d bytes; want between 3000 and %d", len(png), limit)
	}
	_, err = s.Put(context.Background(), bytes.NewReader(png), "me.png", PDF, Image)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "Images may be at most 3000 bytes") {
		t.Errorf("image over the image limit: %v", err)
	}
	if got := files(t, s.dir); len(got) != 1 {
		t.Errorf("files %v; want only the PDF of exactly the limit", got)
	}
}

// TestPutBodyLimit checks that a request body bounded by the caller with
// http.MaxBytesReader, read past its bound, is ErrTooLarge too.
func TestPutBodyLimit(t *testing.T) {
	s := openStore(t, Config{})
	body := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(&endless{head: []byte("%PDF-1.7\n")}), 100<<10)
	_, err := s.Put(context.Background(), body, "r.pdf", PDF)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "the request may be at most 100 KiB") {
		t.Errorf("Put past the body limit: %v; want ErrTooLarge naming the limit", err)
	}
}

func TestPutImageTooManyPixels(t *testing.T) {
	s := openStore(t, Config{})
	// A one-colour PNG compresses to almost nothing however large it is.
	big := encodePNG(t, solid(maxImageSide+1, 2))
	_, err := s.Put(context.Background(), bytes.NewReader(big), "wide.png", Image)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "12001×2 pixels") {
		t.Errorf("Put of a %d-pixel-wide PNG: %v; want ErrTooLarge giving its size", maxImageSide+1, err)
	}
}

func TestPutCanceled(t *testing.T) {
	s := openStore(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	r := &cancelAfter{r: &endless{head: []byte("%PDF-1.7\n")}, after: 100 << 10, cancel: cancel}
	_, err := s.Put(ctx, r, "slow.pdf", PDF)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a canceled context: %v; want context.Canceled", err)
	}
	if got := files(t, s.dir); len(got) != 0 {
		t.Errorf("files %v left by a canceled Put", got)
	}
}

// cancelAfter cancels a context once after bytes have been read.
type cancelAfter struct {
	r      io.Reader
	after  int64
	read   int64
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	if c.read > c.after {
		c.cancel()
	}
	return n, err
}

func TestOpenAndHasRefuseBadKeys(t *testing.T) {
	s := openStore(t, Config{})
	key, err := s.Put(context.Background(), bytes.NewReader(onePagePDF("k")), "k.pdf", PDF)
	if err != nil {
		t.Fatal(err)
	}
	// A file planted next to the store must not be reachable by any key.
	if err := os.WriteFile(filepath.Join(filepath.Dir(s.dir), "secret.pdf"), []byte("%PDF-1.4 secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := key[len(keyPrefix) : len(keyPrefix)+64]
	bad := []string{
		"",
		"../secret.pdf",
		"sha256-" + h,                           // no extension
		"sha256-" + h + ".PDF",                  // upper case
		"sha256-" + h + ".gif",                  // not a format the store accepts
		"sha256-" + h + ".pdf/",                 // trailing slash
		"sha256-" + strings.ToUpper(h) + ".pdf", // upper-case hex
		"sha256-" + h[:63] + ".pdf",             // short hash
		"sha256-" + h + "0.pdf",                 // long hash
		"sha1-" + h + ".pdf",
		h[:2] + "/" + h[2:4] + "/" + key,
		"sha256-" + h + ".pdf\x00",
		"sha256-../../../../etc/passwd",
		"sha256-" + strings.Repeat("0", 64) + ".pdf", // well formed, not stored
	}
	for _, k := range bad {
		if s.Has(k) {
			t.Errorf("Has(%q) = true", k)
		}
		if f, _, err := s.Open(k); !errors.Is(err, ErrNotFound) {
			if f != nil {
				f.Close()
			}
			t.Errorf("Open(%q) = %v; want ErrNotFound", k, err)
		}
	}
	if !ValidKey(key) || ValidKey("sha256-"+h+".exe") {
		t.Error("ValidKey does not tell a key from a near miss")
	}
	for k, want := range map[string]Kind{
		key: PDF, "sha256-" + h + ".jpg": Image, "sha256-" + h + ".webp": Image, "sha256-" + h + ".png": Image,
		"sha256-" + h + ".gif": 0, "../" + key: 0, "": 0,
	} {
		if got := KindOf(k); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", k, got, want)
		}
	}
}

// TestPutStreams checks that Put does not hold the file in memory: storing
// 32 MiB allocates a small fraction of that.
func TestPutStreams(t *testing.T) {
	s := openStore(t, Config{})
	const size = 32 << 20
	r := io.LimitReader(&endless{head: []byte("%PDF-1.7\n")}, size)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	key, err := s.Put(context.Background(), r, "big.pdf", PDF)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("Put of %d MiB allocated %d KiB; want it streamed", size>>20, alloc>>10)
	}
	t.Logf("Put of %d MiB allocated %d KiB", size>>20, (after.TotalAlloc-before.TotalAlloc)>>10)
	f, info, err := s.Open(key)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if info.Size != size {
		t.Errorf("stored size %d, want %d", info.Size, size)
	}
}
