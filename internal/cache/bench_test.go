package cache

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkHit is the work of answering a kept 15 kB page, without the
// network: the cost the cache adds to net/http's per request.
func BenchmarkHit(b *testing.B) {
	for _, logged := range []bool{false, true} {
		name := "unlogged"
		if logged {
			name = "logged"
		}
		b.Run(name, func(b *testing.B) {
			var log *slog.Logger
			if logged {
				log = slog.New(slog.NewTextHandler(io.Discard, nil))
			}
			body := strings.Repeat("<p>x</p>", 15000/8)
			page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h := w.Header()
				for _, k := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
					"X-Frame-Options", "Cross-Origin-Opener-Policy", "Permissions-Policy"} {
					h.Set(k, "some value of the length such headers have")
				}
				h.Set("Content-Type", "text/html; charset=utf-8")
				h.Add("Vary", "Accept")
				io.WriteString(w, body)
			})
			c, err := New(Config{Source: &fakeSource{}, Logger: log})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			h := c.Handler(page)
			r := httptest.NewRequest("GET", "/publications/north-korea-in-japans-strategic-thinking", nil)
			r.Header.Set("Accept", "*/*")
			h.ServeHTTP(httptest.NewRecorder(), r)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				w := discardWriter{h: http.Header{}}
				h.ServeHTTP(&w, r)
			}
		})
	}
}

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(int)             {}
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
