package cli

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while the flusher writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLogBuffer(t *testing.T) {
	var out syncBuffer
	buf := newLogBuffer(&out)
	log := slog.New(flushOnWarn{slog.NewTextHandler(buf, nil), buf}).With("server", "a")
	log.Info("request", "path", "/one")
	if got := out.String(); got != "" {
		t.Errorf("a request line was written at once: %q", got)
	}
	// A warning goes out at once, with the lines before it.
	log.Warn("slow query")
	if got := out.String(); !strings.Contains(got, "/one") || !strings.Contains(got, "slow query") || !strings.Contains(got, "server=a") {
		t.Errorf("after a warning: %q", got)
	}
	log.Info("request", "path", "/two")
	deadline := time.Now().Add(5 * logFlushEvery)
	for !strings.Contains(out.String(), "/two") && time.Now().Before(deadline) {
		time.Sleep(logFlushEvery / 4)
	}
	if !strings.Contains(out.String(), "/two") {
		t.Errorf("a request line waited more than %v", 5*logFlushEvery)
	}
	log.Info("request", "path", "/three")
	if err := buf.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "/three") {
		t.Error("Close left a line in the buffer")
	}
}
