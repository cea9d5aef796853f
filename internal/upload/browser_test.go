package upload

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/imprintpub/imprint/internal/browsertest"
)

// startChromium starts headless Chromium for one test.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t, browsertest.Options{Width: 800, Height: 600, Timeout: 60 * time.Second})
}

// pixels counts the near-white and the dark pixels of a PNG screenshot:
// a PDF page the viewer has drawn is white on the viewer's dark
// background, where an error page or a blank document is all white or all
// one grey.
func pixels(t *testing.T, shot []byte) (white, dark int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			switch {
			case r>>8 > 240 && g>>8 > 240 && bl>>8 > 240:
				white++
			case r>>8 < 100 && g>>8 < 100 && bl>>8 < 100:
				dark++
			}
		}
	}
	return white, dark
}

// TestBrowserShowsFiles opens served files in Chromium: the PDF viewer
// draws a PDF despite the sandboxing policy, opened directly and framed by
// a page of the site, and an image opened directly is shown.
func TestBrowserShowsFiles(t *testing.T) {
	bctx := startChromium(t)
	s := openStore(t, Config{})
	pdfKey, err := s.Put(context.Background(), bytes.NewReader(onePagePDF("Hosted full text")), "r.pdf", PDF)
	if err != nil {
		t.Fatal(err)
	}
	imgKey, err := s.Put(context.Background(), bytes.NewReader(encodePNG(t, picture(40, 30))), "me.png", Image)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /files/", s.Handler())
	mux.HandleFunc("GET /frame", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>Frame</title><body style="margin:0"><iframe style="width:100%;height:560px;border:0" src="` + URLPath(pdfKey) + `"></iframe>`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, tt := range []struct{ name, target string }{
		{"PDF opened directly", URLPath(pdfKey)},
		{"PDF in a frame", "/frame"},
	} {
		target := tt.target
		t.Run(tt.name, func(t *testing.T) {
			tab, cancel := chromedp.NewContext(bctx)
			defer cancel()
			if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+target)); err != nil {
				t.Fatalf("open %s: %v", target, err)
			}
			// The viewer draws the page asynchronously: poll until a white
			// page appears on its dark background.
			var white, dark int
			for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
				shot, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatalf("screenshot: %v", err)
				}
				if white, dark = pixels(t, shot); white > 20000 && dark > 20000 {
					break
				}
			}
			if white <= 20000 || dark <= 20000 {
				t.Fatalf("the PDF viewer drew no page (%d white and %d dark pixels)", white, dark)
			}
		})
	}

	t.Run("image", func(t *testing.T) {
		tab, cancel := chromedp.NewContext(bctx)
		defer cancel()
		if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+URLPath(imgKey))); err != nil {
			t.Fatal(err)
		}
		w, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.images.length === 1 && document.images[0].complete ? document.images[0].naturalWidth : -1`))
		if err != nil || w != 40 {
			t.Errorf("image opened directly: natural width %d, %v; want 40", w, err)
		}
	})
}
