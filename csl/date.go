package csl

import (
	"strconv"
	"strings"
	"unicode"
)

// dateValue is a normalised date or date range.
type dateValue struct {
	start, end [3]int // year, month (13-16 seasons), day; 0 = absent
	hasEnd     bool
	openEnd    bool // "1987–": a range with no end
	season     int
	circa      bool
	literal    string
}

var monthNames = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
	"spring": 13, "summer": 14, "autumn": 15, "fall": 15, "winter": 16,
}

// normalizeDate turns a CSL-JSON Date into a dateValue, parsing raw when
// there are no date-parts. ok is false for an empty date.
func normalizeDate(d Date) (dateValue, bool) {
	var v dateValue
	v.circa = d.Circa
	if len(d.Parts) > 0 && len(d.Parts[0]) > 0 {
		copy(v.start[:], d.Parts[0])
		if len(d.Parts) > 1 && len(d.Parts[1]) > 0 {
			if d.Parts[1][0] == 0 {
				v.openEnd = true
			} else {
				copy(v.end[:], d.Parts[1])
				v.hasEnd = v.end != v.start
			}
		}
	} else if d.Raw != "" {
		var ok bool
		v, ok = parseRawDate(d.Raw)
		if !ok {
			v.literal = d.Raw
		}
		v.circa = v.circa || d.Circa
	} else if d.Literal != "" {
		v.literal = d.Literal
		return v, true
	} else {
		return v, false
	}
	if d.Season != "" {
		if n, err := strconv.Atoi(d.Season); err == nil && n >= 1 && n <= 4 {
			v.season = n
		} else if m, ok := monthNames[strings.ToLower(d.Season)]; ok && m > 12 {
			v.season = m - 12
		} else {
			v.literal = strings.TrimSpace(d.Season + " " + strconv.Itoa(v.start[0]))
		}
	}
	if d.Literal != "" && v.start[0] == 0 {
		v.literal = d.Literal
	}
	return v, v.start[0] != 0 || v.literal != ""
}

// parseRawDate parses the common free-text date forms: ISO dates, "June
// 1965", "1 June 1965", "June 1, 1965", seasons, and ranges joined by "/"
// or " - ".
func parseRawDate(raw string) (dateValue, bool) {
	var v dateValue
	s := strings.TrimSpace(raw)
	for _, sep := range []string{"/", " - ", " – ", "–"} {
		if i := strings.Index(s, sep); i > 0 {
			a, okA := parseOneDate(s[:i])
			b, okB := parseOneDate(s[i+len(sep):])
			if okA && okB {
				v.start, v.end, v.hasEnd = a, b, true
				if b[0] == 0 {
					v.end[0] = a[0]
				}
				return v, true
			}
		}
	}
	if a, ok := parseOneDate(s); ok {
		v.start = a
		return v, true
	}
	// ISO-like year ranges "1999-2000"
	if i := strings.IndexByte(s, '-'); i == 4 && len(s) == 9 {
		a, errA := strconv.Atoi(s[:4])
		b, errB := strconv.Atoi(s[5:])
		if errA == nil && errB == nil {
			v.start[0], v.end[0], v.hasEnd = a, b, true
			return v, true
		}
	}
	return v, false
}

func parseOneDate(s string) ([3]int, bool) {
	var r [3]int
	s = strings.TrimSpace(s)
	if s == "" {
		return r, false
	}
	// ISO 8601: 2005-03-01, 2005-03, 2005
	if parts := strings.Split(s, "-"); len(parts) <= 3 && len(parts[0]) >= 3 {
		ok := true
		for i, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil {
				ok = false
				break
			}
			r[i] = n
		}
		if ok && (r[1] <= 16 || r[1] >= 21 && r[1] <= 24) && r[2] <= 31 {
			return r, true
		}
		r = [3]int{}
	}
	words := strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == ',' || c == '.' })
	for _, w := range words {
		lw := strings.ToLower(w)
		if m, ok := monthNames[lw]; ok {
			r[1] = m
			continue
		}
		n, err := strconv.Atoi(w)
		if err != nil {
			if len(lw) > 2 && unicode.IsDigit(rune(lw[0])) {
				// ordinal day like "1st"
				d := strings.TrimRightFunc(lw, unicode.IsLetter)
				if n2, err2 := strconv.Atoi(d); err2 == nil && n2 <= 31 {
					r[2] = n2
					continue
				}
			}
			return [3]int{}, false
		}
		if len(w) >= 3 || n > 31 {
			r[0] = n
		} else if r[2] == 0 {
			r[2] = n
		} else {
			return [3]int{}, false
		}
	}
	if r[0] == 0 {
		return [3]int{}, false
	}
	return r, true
}
