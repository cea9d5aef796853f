package upload

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"strings"
)

// format is a file type the store accepts.
type format struct {
	kind      Kind
	mediaType string
	ext       string // in keys, without the dot
	name      string // in messages: "a PDF", "a JPEG image"
}

var (
	formatPDF  = format{PDF, "application/pdf", "pdf", "a PDF"}
	formatJPEG = format{Image, "image/jpeg", "jpg", "a JPEG image"}
	formatPNG  = format{Image, "image/png", "png", "a PNG image"}
	formatWebP = format{Image, "image/webp", "webp", "a WebP image"}
)

// formats are every accepted format; a key's extension is one of theirs.
var formats = []format{formatPDF, formatJPEG, formatPNG, formatWebP}

// sniffLen is how many leading bytes sniff reads: enough for every
// signature checked here and for http.DetectContentType, which names what
// a refused file is.
const sniffLen = 512

// Largest image accepted, in pixels per side and in all. A small file can
// declare an enormous picture (a "decompression bomb") that takes every
// reader's browser gigabytes to show; a portrait needs nothing near this.
const (
	maxImageSide   = 12000
	maxImagePixels = 50_000_000
)

var (
	pngSignature = []byte("\x89PNG\r\n\x1a\n")
	jpegMagic    = []byte{0xFF, 0xD8, 0xFF}
)

// sniff names the format of a file from its first bytes (up to sniffLen).
// Only files that begin with their format's signature are accepted: a
// browser told nothing else would sniff some of them as HTML or script,
// and the handler's nosniff header relies on the type named here being
// the true one. A file of no accepted format gives an error wrapping
// ErrType that says what it seems to be instead.
func sniff(head []byte) (format, error) {
	switch {
	case len(head) == 0:
		return format{}, fmt.Errorf("%w: the file is empty", ErrType)
	case isPDF(head):
		return formatPDF, nil
	case bytes.HasPrefix(head, jpegMagic):
		return formatJPEG, nil
	case bytes.HasPrefix(head, pngSignature):
		// The first chunk of a PNG must be its header.
		if len(head) < 16 || string(head[12:16]) != "IHDR" {
			return format{}, fmt.Errorf("%w: it is a damaged PNG image (no IHDR chunk after the signature)", ErrType)
		}
		return formatPNG, nil
	case len(head) >= 12 && string(head[0:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		if len(head) < 16 {
			return format{}, fmt.Errorf("%w: it is a damaged WebP image (too short)", ErrType)
		}
		switch string(head[12:16]) {
		case "VP8 ", "VP8L", "VP8X":
			return formatWebP, nil
		}
		return format{}, fmt.Errorf("%w: it is a damaged WebP image (unknown first chunk %q)", ErrType, head[12:16])
	}
	return format{}, fmt.Errorf("%w: it is %s", ErrType, describe(head))
}

// isPDF reports whether head starts with a PDF header, "%PDF-" and a
// version such as "1.7" or "2.0". Readers tolerate the header anywhere in
// the first kilobyte, but a file with something else before it could be
// read as that something else, so only a header at the start counts.
func isPDF(head []byte) bool {
	return len(head) >= 8 && string(head[:5]) == "%PDF-" &&
		'1' <= head[5] && head[5] <= '9' && head[6] == '.' && '0' <= head[7] && head[7] <= '9'
}

// describe names what a refused file seems to be, for the error message.
// SVG and HTML are named explicitly: both carry script, and they are the
// files an attacker would most like the site to serve.
func describe(head []byte) string {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n\f")
	lower := bytes.ToLower(t)
	switch {
	case bytes.HasPrefix(t, []byte("GIF87a")) || bytes.HasPrefix(t, []byte("GIF89a")):
		return "a GIF image"
	case bytes.HasPrefix(lower, []byte("<svg")) || bytes.HasPrefix(lower, []byte("<!doctype svg")) ||
		(bytes.HasPrefix(lower, []byte("<?xml")) || bytes.HasPrefix(lower, []byte("<!--"))) && bytes.Contains(lower, []byte("<svg")):
		return "an SVG image, which can carry script"
	case bytes.HasPrefix(lower, []byte("%pdf-")):
		return "a PDF with a damaged header"
	case bytes.HasPrefix(t, []byte("PK\x03\x04")):
		return "a ZIP archive (a Word, EPUB or other office document?)"
	case bytes.HasPrefix(t, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return "an old Microsoft Office document"
	case bytes.HasPrefix(t, []byte("II*\x00")) || bytes.HasPrefix(t, []byte("MM\x00*")):
		return "a TIFF image"
	case bytes.HasPrefix(t, []byte("BM")) && len(t) > 14:
		return "a BMP image"
	case len(t) >= 12 && string(t[4:8]) == "ftyp" && (string(t[8:12]) == "heic" || string(t[8:12]) == "heix" || string(t[8:12]) == "mif1" || string(t[8:12]) == "avif"):
		return "an HEIC or AVIF image"
	}
	ct := http.DetectContentType(head)
	switch {
	case strings.HasPrefix(ct, "text/html"):
		return "an HTML document, which can carry script"
	case strings.HasPrefix(ct, "text/xml"):
		return "an XML document"
	case strings.HasPrefix(ct, "text/"):
		return "a text file"
	case ct == "application/octet-stream":
		return "of an unrecognized type"
	}
	return "of type " + ct
}

// checkImage reads the header of the stored image and refuses one that
// does not decode or that declares more pixels than a page should show.
func checkImage(f *os.File, ft format) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	var (
		cfg image.Config
		err error
	)
	switch ft {
	case formatJPEG:
		cfg, err = jpeg.DecodeConfig(f)
	case formatPNG:
		cfg, err = png.DecodeConfig(f)
	case formatWebP:
		var head [30]byte
		var n int
		n, err = io.ReadFull(f, head[:])
		if err == nil || err == io.ErrUnexpectedEOF {
			cfg, err = webpConfig(head[:n])
		}
	}
	if err != nil {
		return fmt.Errorf("%w: it is %s that cannot be read (%v)", ErrType, ft.name, err)
	}
	return checkDimensions(cfg.Width, cfg.Height)
}

func checkDimensions(w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: the image declares a size of %d×%d pixels", ErrType, w, h)
	}
	if w > maxImageSide || h > maxImageSide || int64(w)*int64(h) > maxImagePixels {
		return fmt.Errorf("%w: the image is %d×%d pixels; images may be at most %d pixels on a side and %d megapixels",
			ErrTooLarge, w, h, maxImageSide, maxImagePixels/1_000_000)
	}
	return nil
}

// webpConfig reads the canvas size of a WebP file from its first 30 bytes:
// the VP8X header of an extended file, or the frame header of a simple
// lossy (VP8) or lossless (VP8L) one.
func webpConfig(b []byte) (image.Config, error) {
	if len(b) < 30 {
		return image.Config{}, fmt.Errorf("truncated header")
	}
	le24 := func(p []byte) int { return int(p[0]) | int(p[1])<<8 | int(p[2])<<16 }
	switch string(b[12:16]) {
	case "VP8X":
		return image.Config{Width: le24(b[24:27]) + 1, Height: le24(b[27:30]) + 1}, nil
	case "VP8 ":
		// Frame tag (3 bytes), then the key frame start code.
		if b[20]&1 != 0 {
			return image.Config{}, fmt.Errorf("first frame is not a key frame")
		}
		if b[23] != 0x9d || b[24] != 0x01 || b[25] != 0x2a {
			return image.Config{}, fmt.Errorf("missing VP8 start code")
		}
		w := int(binary.LittleEndian.Uint16(b[26:28]) & 0x3fff)
		h := int(binary.LittleEndian.Uint16(b[28:30]) & 0x3fff)
		return image.Config{Width: w, Height: h}, nil
	case "VP8L":
		if b[20] != 0x2f {
			return image.Config{}, fmt.Errorf("missing VP8L signature")
		}
		bits := binary.LittleEndian.Uint32(b[21:25])
		return image.Config{Width: int(bits&0x3fff) + 1, Height: int(bits>>14&0x3fff) + 1}, nil
	}
	return image.Config{}, fmt.Errorf("unknown chunk %q", b[12:16])
}
