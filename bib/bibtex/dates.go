package bibtex

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/imprintpub/imprint/csl"
)

// parseEDTF reads a BibLaTeX date field: ISO 8601-2 level 1 as biber accepts
// it. "2013", "2013-09", "2013-09-21", ranges "2013-09/2013-10" and open
// ranges "1988/" or "/1988", seasons "2013-21" (21-24: spring to winter),
// and the qualifiers "~" (circa), "?" and "%" on the whole date.
func parseEDTF(s string) (csl.Date, error) {
	s = strings.TrimSpace(s)
	var d csl.Date
	if s == "" {
		return d, fmt.Errorf("empty date")
	}
	from, to, isRange := strings.Cut(s, "/")
	if !isRange {
		p, season, circa, err := parseOneDate(from)
		if err != nil {
			return d, err
		}
		d.Parts = [][]int{p}
		d.Circa = circa
		if season != 0 {
			d.Season = strconv.Itoa(season)
		}
		return d, nil
	}
	// An open end ("", "..") becomes a zero year, which is how CSL-JSON
	// writes an open range; a missing start keeps only the end.
	var start, end []int
	for i, part := range []string{from, to} {
		part = strings.TrimSpace(part)
		if part == "" || part == ".." {
			if i == 0 {
				return d, fmt.Errorf("%q: open-start ranges are not supported", s)
			}
			end = []int{0}
			continue
		}
		p, season, circa, err := parseOneDate(part)
		if err != nil {
			return d, err
		}
		if season != 0 && i == 0 {
			// CSL ranges have no seasons; keep the first one for the date.
			d.Season = strconv.Itoa(season)
		}
		d.Circa = d.Circa || circa
		if i == 0 {
			start = p
		} else {
			end = p
		}
	}
	d.Parts = [][]int{start, end}
	return d, nil
}

// parseOneDate reads YYYY[-MM[-DD]] with optional qualifiers; a month of
// 21-24 is a season.
func parseOneDate(s string) (parts []int, season int, circa bool, err error) {
	orig := s
	// A time of day ("2013-09-21T10:00:00", "2013-09-21 10:00") has no
	// place in CSL dates; the date before it stands.
	if i := strings.IndexAny(s, "T "); i == 10 {
		s = s[:i]
	}
	s = strings.TrimRight(s, "~?%")
	if len(s) != len(orig) {
		circa = strings.ContainsAny(orig[len(s):], "~%")
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	fields := strings.Split(s, "-")
	if len(fields) > 3 {
		return nil, 0, false, fmt.Errorf("%q is not a date (want YYYY, YYYY-MM or YYYY-MM-DD)", orig)
	}
	for i, f := range fields {
		if f == "" || strings.Trim(f, "0123456789") != "" || (i > 0 && len(f) != 2) {
			return nil, 0, false, fmt.Errorf("%q is not a date (want YYYY, YYYY-MM or YYYY-MM-DD)", orig)
		}
		n, _ := strconv.Atoi(f)
		parts = append(parts, n)
	}
	if neg {
		// ISO 8601 counts a year 0 (1 BC), so -0044 is 45 BC; CSL's negative
		// years are plain BC years.
		parts[0] = -parts[0] - 1
	} else if parts[0] == 0 {
		parts[0] = -1 // ISO year 0000 is 1 BC; a CSL year 0 marks an open end
	}
	if len(parts) >= 2 {
		m := parts[1]
		switch {
		case m >= 21 && m <= 24 && len(parts) == 2:
			return parts[:1], m - 20, circa, nil
		case m < 1 || m > 12:
			return nil, 0, false, fmt.Errorf("%q: month %d out of range", orig, m)
		}
	}
	if len(parts) == 3 && (parts[2] < 1 || parts[2] > daysIn(parts[0], parts[1])) {
		return nil, 0, false, fmt.Errorf("%q: day %d out of range", orig, parts[2])
	}
	return parts, 0, circa, nil
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

var monthNames = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"sept": 9,
}

// parseMonth reads a month field: a number, an English name or its
// three-letter abbreviation (with or without a period).
func parseMonth(s string) (int, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 12 {
			return 0, fmt.Errorf("month %d out of range", n)
		}
		return n, nil
	}
	l := strings.ToLower(s)
	if n, ok := monthNames[l]; ok {
		return n, nil
	}
	if len(l) == 3 {
		for name, n := range monthNames {
			if strings.HasPrefix(name, l) {
				return n, nil
			}
		}
	}
	return 0, fmt.Errorf("%q is not a month", s)
}

// yearMonthDate builds a date from BibTeX's year, month and day fields. A
// year that is not a number ("forthcoming", "1998a") is kept as a literal
// date, since real files carry them and CSL can print them.
func yearMonthDate(year, month, day string) (csl.Date, string, error) {
	var d csl.Date
	year = strings.TrimSpace(year)
	y, err := strconv.Atoi(year)
	if err != nil {
		if r, ok := yearRange(year); ok && month == "" && day == "" {
			d.Parts = r
			return d, "", nil
		}
		if month != "" || day != "" {
			return d, "year", fmt.Errorf("%q is not a year", year)
		}
		d.Literal = year
		return d, "", nil
	}
	parts := []int{y}
	if month != "" {
		m, err := parseMonth(month)
		if err != nil {
			if _, numErr := strconv.Atoi(strings.TrimSpace(month)); numErr == nil {
				return d, "month", err
			}
			// Free text such as "May 29 - June 1" (conference days) is
			// common in real files and has no CSL form; the year stands.
			d.Parts = [][]int{parts}
			return d, "", nil
		}
		parts = append(parts, m)
		if day != "" {
			dd, err := strconv.Atoi(strings.TrimSpace(day))
			if err != nil || dd < 1 || dd > daysIn(y, m) {
				return d, "day", fmt.Errorf("%q is not a day of %d-%02d", day, y, m)
			}
			parts = append(parts, dd)
		}
	}
	d.Parts = [][]int{parts}
	return d, "", nil
}

// formatEDTF writes a CSL date as a BibLaTeX date field; ok is false when
// the date has no parts to write.
func formatEDTF(d csl.Date) (string, bool) {
	if len(d.Parts) == 0 || len(d.Parts) > 2 {
		return "", false
	}
	for _, p := range d.Parts {
		if len(p) == 0 || len(p) > 3 {
			return "", false
		}
	}
	one := func(p []int) string {
		if len(p) == 1 && p[0] == 0 {
			return ""
		}
		var b strings.Builder
		switch {
		case p[0] == -1:
			b.WriteString("0000")
		case p[0] < 0:
			fmt.Fprintf(&b, "-%04d", -p[0]-1)
		default:
			fmt.Fprintf(&b, "%04d", p[0])
		}
		for _, n := range p[1:] {
			fmt.Fprintf(&b, "-%02d", n)
		}
		return b.String()
	}
	s := one(d.Parts[0])
	if len(d.Parts[0]) == 1 {
		if n, err := strconv.Atoi(d.Season); err == nil && n >= 1 && n <= 4 {
			s += fmt.Sprintf("-%d", 20+n)
		}
	}
	if len(d.Parts) > 1 {
		s += "/" + one(d.Parts[1])
	}
	if d.Circa {
		s += "~"
	}
	return s, true
}

// yearRange reads a year field holding a range: "1994-2000", "1908--13",
// "1908/13". A two-digit end takes the century of the start.
func yearRange(s string) ([][]int, bool) {
	i := strings.IndexAny(s, "-–/")
	if i != 4 {
		return nil, false
	}
	from, err := strconv.Atoi(s[:4])
	if err != nil {
		return nil, false
	}
	rest := strings.TrimSpace(strings.TrimLeft(s[i:], "-–/"))
	to, err := strconv.Atoi(rest)
	if err != nil || len(rest) != 2 && len(rest) != 4 {
		return nil, false
	}
	if rest == "0000" {
		return [][]int{{from}, {0}}, true // an open end, as pandoc writes one
	}
	if len(rest) == 2 {
		to += from / 100 * 100
	}
	if to <= from {
		return nil, false
	}
	return [][]int{{from}, {to}}, true
}
