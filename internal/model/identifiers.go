package model

import "strings"

// ValidORCID reports whether s is a bare ORCID iD: four groups of four
// digits separated by hyphens, the last character a digit or X that is the
// ISO 7064 MOD 11-2 check digit of the other fifteen.
func ValidORCID(s string) bool {
	if len(s) != 19 {
		return false
	}
	total := 0
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 4 || i == 9 || i == 14 {
			if c != '-' {
				return false
			}
			continue
		}
		n++
		if n == 16 {
			check := (12 - total%11) % 11
			if check == 10 {
				return c == 'X'
			}
			return c == byte('0'+check)
		}
		if c < '0' || c > '9' {
			return false
		}
		total = (total + int(c-'0')) * 2
	}
	return false
}

// NormalizeORCID reduces the ways an ORCID iD is written
// ("https://orcid.org/0000-0002-1825-0097", "orcid:0000…", lower-case x) to
// the bare form, or returns "" when s is not an ORCID iD.
func NormalizeORCID(s string) string {
	s = strings.TrimSpace(s)
	for _, prefix := range []string{"https://orcid.org/", "http://orcid.org/", "orcid.org/", "orcid:", "ORCID:"} {
		if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
			s = s[len(prefix):]
			break
		}
	}
	s = strings.ToUpper(s)
	if len(s) == 16 {
		s = s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
	}
	if !ValidORCID(s) {
		return ""
	}
	return s
}

// UploadKeyExt returns the extension of an upload key — a content address
// "sha256-" + 64 lower-case hex digits + "." + an extension of up to five
// lower-case letters or digits — and whether s has that shape. The upload
// store decides which extensions it hands out; records only need the
// shape.
func UploadKeyExt(s string) (string, bool) {
	const prefix = "sha256-"
	if !strings.HasPrefix(s, prefix) || len(s) < len(prefix)+64+2 {
		return "", false
	}
	for _, c := range []byte(s[len(prefix) : len(prefix)+64]) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", false
		}
	}
	ext := s[len(prefix)+64:]
	if ext[0] != '.' || len(ext) > 6 {
		return "", false
	}
	for _, c := range ext[1:] {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return "", false
		}
	}
	return ext[1:], true
}

func validUploadKey(s string) bool {
	_, ok := UploadKeyExt(s)
	return ok
}
