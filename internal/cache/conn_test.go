package cache

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// countingListener records the size of every write on its connections.
type countingListener struct {
	net.Listener
	mu     sync.Mutex
	writes []int
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, l: l}, nil
}

func (l *countingListener) take() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.writes
	l.writes = nil
	return w
}

type countingConn struct {
	net.Conn
	l *countingListener
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.l.mu.Lock()
	c.l.writes = append(c.l.writes, len(p))
	c.l.mu.Unlock()
	return c.Conn.Write(p)
}

// serveHeld serves h as imprint serve does: through Listener and
// ConnContext, over a listener that counts writes.
func serveHeld(t *testing.T, h http.Handler) (*countingListener, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl := &countingListener{Listener: ln}
	srv := &http.Server{Handler: h, ConnContext: ConnContext}
	go srv.Serve(Listener(cl)) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return cl, "http://" + ln.Addr().String()
}

// TestHitIsOneWrite checks that a kept page of 15 KB, which net/http
// would send in two writes, goes out in one, whole; that smaller pages,
// HEAD and 304 answers are unchanged; and that the connection then serves
// the next request as usual.
func TestHitIsOneWrite(t *testing.T) {
	f := newFixture(t, Config{})
	cl, base := serveHeld(t, f.h)
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	get := func(method, path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(body)
	}

	const size = 15342
	path := fmt.Sprintf("/size/%d", size)
	get("GET", path) // a miss, kept
	cl.take()
	for i := range 3 {
		resp, body := get("GET", path)
		writes := cl.take()
		if resp.Header.Get("X-Cache") != stateHit || body != strings.Repeat("y", size) {
			t.Fatalf("hit %d: X-Cache %q, %d bytes", i, resp.Header.Get("X-Cache"), len(body))
		}
		if len(writes) != 1 || writes[0] <= size {
			t.Errorf("hit %d went out in writes of %v bytes, want one of the headers and body", i, writes)
		}
	}
	etag := func() string { r, _ := get("GET", path); cl.take(); return r.Header.Get("ETag") }()
	for _, tt := range []struct {
		name, method string
		hdr          []string
		status       int
		body         string
	}{
		{"HEAD", "HEAD", nil, http.StatusOK, ""},
		{"If-None-Match", "GET", []string{"If-None-Match", etag}, http.StatusNotModified, ""},
		{"again", "GET", nil, http.StatusOK, strings.Repeat("y", size)},
	} {
		resp, body := get(tt.method, path, tt.hdr...)
		if resp.StatusCode != tt.status || body != tt.body {
			t.Errorf("%s: status %d, %d bytes", tt.name, resp.StatusCode, len(body))
		}
		if w := cl.take(); len(w) != 1 {
			t.Errorf("%s: writes of %v bytes", tt.name, w)
		}
	}
	get("GET", "/page")
	cl.take()
	if resp, body := get("GET", "/page"); resp.Header.Get("X-Cache") != stateHit || !strings.HasPrefix(body, "<p>page") {
		t.Errorf("small hit: %q %q", resp.Header.Get("X-Cache"), body)
	}
	// A body past holdBelow is written from the entry, not copied.
	big := fmt.Sprintf("/size/%d", holdBelow+1000)
	get("GET", big)
	cl.take()
	if resp, body := get("GET", big); resp.Header.Get("X-Cache") != stateHit || body != strings.Repeat("y", holdBelow+1000) {
		t.Errorf("large hit: %q, %d bytes", resp.Header.Get("X-Cache"), len(body))
	}
	if w := cl.take(); len(w) < 2 {
		t.Errorf("a large hit went out held, in writes of %v bytes", w)
	}
}

// TestHeldConnServesFiles checks the paths net/http takes around the
// cache on a held connection: a file served with sendfile, and a
// streamed response.
func TestHeldConnServesFiles(t *testing.T) {
	dir := t.TempDir()
	content := strings.Repeat("0123456789", 10000)
	if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/files/", http.StripPrefix("/files/", http.FileServer(http.Dir(dir))))
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		for i := range 3 {
			fmt.Fprintf(w, "part %d\n", i)
			w.(http.Flusher).Flush()
		}
	})
	_, base := serveHeld(t, mux)
	for path, want := range map[string]string{"/files/f.txt": content, "/stream": "part 0\npart 1\npart 2\n"} {
		for range 2 {
			resp, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) != want {
				t.Errorf("%s: %d bytes, want %d", path, len(body), len(want))
			}
		}
	}
}

// failingConn fails every write.
type failingConn struct{ net.Conn }

func (failingConn) Write([]byte) (int, error) { return 0, errors.New("connection reset") }

// TestHeldWriteError checks that a failed write of held bytes is not
// lost: the connection's next write reports it.
func TestHeldWriteError(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := &holdConn{Conn: failingConn{a}}
	c.hold()
	if n, err := c.Write([]byte("held")); n != 4 || err != nil {
		t.Fatalf("held write: %d, %v", n, err)
	}
	c.release()
	if _, err := c.Write([]byte("next")); err == nil || !strings.Contains(err.Error(), "reset") {
		t.Errorf("write after a failed release: %v", err)
	}
	w := bufio.NewWriter(c)
	w.WriteString("more")
	if err := w.Flush(); err == nil {
		t.Error("buffered write after a failed release succeeded")
	}
}
