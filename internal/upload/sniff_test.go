package upload

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	pic := picture(40, 30)
	tests := []struct {
		name    string
		data    []byte
		want    format // zero: refused with ErrType
		errHas  string
		wantDim [2]int // checked for images that sniff
	}{
		{name: "PDF", data: onePagePDF("Hello"), want: formatPDF},
		{name: "shared-mime-info PDF header", data: []byte("%PDF-1.5\n%\xd0\xd4\xc5\xd8\n1 0 obj"), want: formatPDF},
		{name: "PDF 2.0", data: []byte("%PDF-2.0\n%\xe2\xe3\xcf\xd3\n"), want: formatPDF},
		{name: "JPEG", data: encodeJPEG(t, pic), want: formatJPEG, wantDim: [2]int{40, 30}},
		{name: "PNG", data: encodePNG(t, pic), want: formatPNG, wantDim: [2]int{40, 30}},
		{name: "WebP lossy", data: testdata(t, "lossy.webp"), want: formatWebP, wantDim: [2]int{40, 30}},
		{name: "WebP lossless", data: testdata(t, "lossless.webp"), want: formatWebP, wantDim: [2]int{40, 30}},
		{name: "WebP extended with alpha", data: testdata(t, "alpha.webp"), want: formatWebP, wantDim: [2]int{40, 30}},

		{name: "empty", data: nil, errHas: "empty"},
		{name: "GIF", data: encodeGIF(t, pic), errHas: "GIF"},
		{name: "SVG", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), errHas: "SVG"},
		{name: "SVG with XML declaration", data: []byte("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), errHas: "SVG"},
		{name: "SVG after a BOM and a comment", data: []byte("\xEF\xBB\xBF  <!-- made by hand -->\n<svg onload=\"alert(1)\"/>"), errHas: "SVG"},
		{name: "SVG doctype", data: []byte(`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>`), errHas: "SVG"},
		{name: "HTML", data: []byte("<!DOCTYPE html><html><script>alert(document.cookie)</script>"), errHas: "HTML"},
		{name: "HTML named .pdf, script first", data: []byte("  <script>alert(1)</script>%PDF-1.7"), errHas: "HTML"},
		{name: "PDF header after other bytes", data: []byte("<html>%PDF-1.4\n"), errHas: "HTML"},
		{name: "PDF header after a newline", data: []byte("\n%PDF-1.4\n1 0 obj"), errHas: "PDF with a damaged header"},
		{name: "PDF header without version", data: []byte("%PDF-x.y\n"), errHas: "damaged header"},
		{name: "truncated PDF header", data: []byte("%PDF-1"), errHas: "damaged header"},
		{name: "plain text", data: []byte("Just a note about the report.\n"), errHas: "text file"},
		{name: "ZIP (a .docx)", data: []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"), errHas: "ZIP"},
		{name: "PNG signature alone", data: pngSignature, errHas: "damaged PNG"},
		{name: "RIFF WAVE", data: []byte("RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00"), errHas: "audio/wave"},
		{name: "WebP with unknown chunk", data: []byte("RIFF\x24\x08\x00\x00WEBPABCD\x10\x00\x00\x00"), errHas: "damaged WebP"},
		{name: "random bytes", data: []byte{0x00, 0x01, 0x02, 0x03, 0xff, 0xfe}, errHas: "unrecognized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := tt.data
			if len(head) > sniffLen {
				head = head[:sniffLen]
			}
			got, err := sniff(head)
			if tt.want == (format{}) {
				if !errors.Is(err, ErrType) || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("sniff = %+v, %v; want ErrType saying %q", got, err, tt.errHas)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("sniff = %+v, %v; want %+v", got, err, tt.want)
			}
			if tt.wantDim != [2]int{} {
				w, h, err := dimensions(t, tt.data, got)
				if err != nil || [2]int{w, h} != tt.wantDim {
					t.Errorf("image size %d×%d, %v; want %v", w, h, err, tt.wantDim)
				}
			}
		})
	}
}

// dimensions reads an image's size the way Put does, through checkImage's
// decoders.
func dimensions(t *testing.T, data []byte, f format) (int, int, error) {
	t.Helper()
	if f == formatWebP {
		cfg, err := webpConfig(data[:min(30, len(data))])
		return cfg.Width, cfg.Height, err
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	return cfg.Width, cfg.Height, err
}

func TestCheckDimensions(t *testing.T) {
	tests := []struct {
		w, h int
		want error
	}{
		{1, 1, nil},
		{4000, 3000, nil},
		{maxImageSide, 4000, nil},
		{maxImageSide + 1, 10, ErrTooLarge},
		{10, maxImageSide + 1, ErrTooLarge},
		{8000, 8000, ErrTooLarge}, // 64 megapixels
		{0, 10, ErrType},
	}
	for _, tt := range tests {
		err := checkDimensions(tt.w, tt.h)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("checkDimensions(%d, %d) = %v, want %v", tt.w, tt.h, err, tt.want)
		}
	}
}

// TestWebPConfigLargeCanvas checks the bit layout of the three WebP
// headers on sizes that use their high bits, which the small test files do
// not.
func TestWebPConfigLargeCanvas(t *testing.T) {
	riff := func(chunk string, payload []byte) []byte {
		b := append([]byte("RIFF\x00\x00\x00\x00WEBP"+chunk+"\x00\x00\x00\x00"), payload...)
		for len(b) < 30 {
			b = append(b, 0)
		}
		return b
	}
	// VP8X: flags and reserved (4 bytes), then width−1 and height−1 in 24
	// bits each: 16383×9000.
	vp8x := riff("VP8X", []byte{0, 0, 0, 0, 0xfe, 0x3f, 0x00, 0x27, 0x23, 0x00})
	// VP8: key-frame tag, start code, 14-bit width and height (the top
	// two bits are scaling and must be masked): 4000×3000.
	vp8 := riff("VP8 ", []byte{0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0xa0, 0x4f, 0xb8, 0xcb})
	// VP8L: signature, then width−1 and height−1 in 14 bits each: 1×16384.
	vp8l := riff("VP8L", []byte{0x2f, 0x00, 0xc0, 0xff, 0x0f})
	tests := []struct {
		name string
		b    []byte
		w, h int
	}{
		{"VP8X", vp8x, 16383, 9000},
		{"VP8", vp8, 4000, 3000},
		{"VP8L", vp8l, 1, 16384},
	}
	for _, tt := range tests {
		cfg, err := webpConfig(tt.b)
		if err != nil || cfg.Width != tt.w || cfg.Height != tt.h {
			t.Errorf("%s: %d×%d, %v; want %d×%d", tt.name, cfg.Width, cfg.Height, err, tt.w, tt.h)
		}
	}
	if _, err := webpConfig(vp8[:29]); err == nil {
		t.Error("a 29-byte header: no error")
	}
}

// FuzzSniff checks that sniff never panics, accepts only files that begin
// with their format's signature, and refuses everything else with ErrType.
func FuzzSniff(f *testing.F) {
	f.Add(onePagePDF("x"))
	f.Add([]byte("%PDF-1.7"))
	f.Add(encodePNG(f, picture(2, 2)))
	f.Add(encodeJPEG(f, picture(2, 2)))
	f.Add(testdata(f, "lossy.webp"))
	f.Add(testdata(f, "lossless.webp"))
	f.Add(testdata(f, "alpha.webp"))
	f.Add([]byte("<svg/>"))
	f.Add([]byte("<!DOCTYPE html>"))
	f.Add([]byte("GIF89a"))
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.Gray{Y: 1})
	f.Add(encodeGIF(f, img))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > sniffLen {
			b = b[:sniffLen]
		}
		got, err := sniff(b)
		if err != nil {
			if !errors.Is(err, ErrType) {
				t.Fatalf("sniff error %v does not wrap ErrType", err)
			}
			if got != (format{}) {
				t.Fatalf("sniff returned %+v with error %v", got, err)
			}
			return
		}
		var ok bool
		switch got {
		case formatPDF:
			ok = bytes.HasPrefix(b, []byte("%PDF-"))
		case formatJPEG:
			ok = bytes.HasPrefix(b, jpegMagic)
		case formatPNG:
			ok = bytes.HasPrefix(b, pngSignature)
		case formatWebP:
			ok = bytes.HasPrefix(b, []byte("RIFF")) && len(b) >= 16 && string(b[8:12]) == "WEBP"
		}
		if !ok {
			t.Fatalf("sniff(%q) = %+v without its signature", b, got)
		}
		if got.kind == Image {
			// Whatever the header claims, reading a size must not panic.
			if got == formatWebP {
				webpConfig(b)
			}
		}
	})
}
