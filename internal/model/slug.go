package model

import (
	"strings"
	"unicode"
)

// MaxSlugLen bounds slugs so that URLs stay readable and indexable.
const MaxSlugLen = 120

// ValidSlug reports whether s can be used as a slug: lower-case ASCII
// letters and digits in hyphen-separated runs, as it appears in URLs
// without escaping.
func ValidSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-':
			if s[i-1] == '-' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// latinFold maps the accented Latin letters common in names and titles to
// their base letters; a full Unicode decomposition would pull in a table
// far larger than slugs need.
var latinFold = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i"}
	groups := map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįİ", "j": "ĵ", "k": "ķ", "l": "ĺļľŀ", "n": "ñńņňŉ", "o": "òóôõöōŏő",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	}
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// Slugify derives a slug from a title or name: common accents are dropped
// ("Café" → "cafe"), apostrophes vanish ("Japan’s" → "japans"), and any
// other run of characters that are not ASCII letters or digits becomes one
// hyphen. Text with no Latin letters or digits (a title in Japanese) gives
// "", and the caller must choose a slug.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	write := func(t string) {
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(t)
	}
	for _, r := range s {
		r = unicode.ToLower(r)
		switch {
		case r == '\'' || r == '’' || r == 'ʼ':
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			write(string(r))
		case latinFold[r] != "":
			write(latinFold[r])
		default:
			hyphen = true
		}
	}
	out := b.String()
	if len(out) > MaxSlugLen {
		out = out[:MaxSlugLen]
	}
	return strings.TrimRight(out, "-")
}
