package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/store/postgres/pgtest"
)

// lockedBuffer lets the test read the log while the server writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var servingURL = regexp.MustCompile(`msg=serving url=(http://[^ ]+/)`)

func TestServeDemoAndGracefulShutdown(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data") // created by serve
	testServe(t, []string{"--data", data})
	if _, err := os.Stat(filepath.Join(data, databaseFile)); err != nil {
		t.Errorf("no database in the data directory: %v", err)
	}
}

func TestServePostgres(t *testing.T) {
	testServe(t, []string{"--database", pgtest.SchemaURL(t)})
}

// testServe runs serve --demo with args on a random port, reads the seed
// page, stops the server through its context and checks the log.
func testServe(t *testing.T, args []string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"serve", "--demo", "--addr", "127.0.0.1:0"}, args...),
			Stdio{In: strings.NewReader(""), Out: io.Discard, Err: &logs})
	}()

	var base string
	deadline := time.Now().Add(30 * time.Second)
	for base == "" {
		if m := servingURL.FindStringSubmatch(logs.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d before serving; log:\n%s", code, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start; log:\n%s", logs.String())
		}
	}

	res, err := http.Get(base + "publications/north-korea-in-japans-strategic-thinking")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "North Korea in Japan’s Strategic Thinking") {
		t.Fatalf("seed page: status %d; log:\n%s", res.StatusCode, logs.String())
	}

	// The OAI-PMH endpoint is mounted beside the pages and harvests the
	// demo content.
	res, err = http.Get(base + "oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:127.0.0.1:north-korea-in-japans-strategic-thinking")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "<dc:title>North Korea in Japan’s Strategic Thinking</dc:title>") {
		t.Fatalf("OAI-PMH GetRecord: status %d, body:\n%s", res.StatusCode, body)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited with %d after the signal, want 0; log:\n%s", code, logs.String())
		}
	case <-time.After(shutdownGrace + 5*time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	log := logs.String()
	for _, want := range []string{`msg="demo content loaded" publications=`, "msg=request method=GET", "msg=stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestServeErrors(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"port taken", []string{"--addr", taken.Addr().String(), "--data", t.TempDir()}, 1, "already in use"},
		{"bad address", []string{"--addr", "localhost", "--data", t.TempDir()}, 1, "want HOST:PORT"},
		{"data directory is a file", []string{"--addr", "127.0.0.1:0", "--data", file}, 1, "not a directory"},
		{"data directory under a file", []string{"--addr", "127.0.0.1:0", "--data", filepath.Join(file, "sub")}, 1, "cannot create the data directory"},
		{"extra argument", []string{"--data", t.TempDir(), "now"}, 2, `unexpected argument "now"`},
		{"unknown flag", []string{"--port", "80"}, 2, "flag provided but not defined"},
	}
	if os.Geteuid() != 0 {
		// Permissions do not stop root, so this case runs only as a user.
		ro := filepath.Join(t.TempDir(), "read-only")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		tests = append(tests, struct {
			name     string
			args     []string
			wantCode int
			wantErr  string
		}{"read-only data directory", []string{"--addr", "127.0.0.1:0", "--data", ro}, 1, "is not writable"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var out, errb bytes.Buffer
			code := Run(ctx, append([]string{"serve"}, tt.args...), Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
			if code != tt.wantCode || !strings.Contains(errb.String(), tt.wantErr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, errb.String(), tt.wantCode, tt.wantErr)
			}
		})
	}
}
