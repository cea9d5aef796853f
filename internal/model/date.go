package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/imprintpub/imprint/csl"
)

// Season is a season of the year, used by quarterlies ("Spring 2014").
type Season int

// The seasons, numbered as CSL numbers them.
const (
	NoSeason Season = iota
	Spring
	Summer
	Autumn
	Winter
)

var seasonNames = [...]string{"", "Spring", "Summer", "Autumn", "Winter"}

// String returns the English name of s ("Spring"), or "" for NoSeason.
func (s Season) String() string {
	if s < NoSeason || s > Winter {
		return ""
	}
	return seasonNames[s]
}

// Precision says how much of a date is known.
type Precision int

// Precisions from least to most exact.
const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionSeason
	PrecisionMonth
	PrecisionDay
)

// DatePart is one point of a date: a year and optionally a month and day,
// or a year and a season. Zero fields are absent.
type DatePart struct {
	Year   int
	Month  int // 1–12
	Day    int // 1–31
	Season Season
}

// Precision reports how exact p is.
func (p DatePart) Precision() Precision {
	switch {
	case p.Year == 0:
		return PrecisionNone
	case p.Day != 0:
		return PrecisionDay
	case p.Month != 0:
		return PrecisionMonth
	case p.Season != NoSeason:
		return PrecisionSeason
	}
	return PrecisionYear
}

// IsZero reports whether p holds no date.
func (p DatePart) IsZero() bool { return p == DatePart{} }

// key orders parts chronologically; a season counts as the month it starts
// in, a missing month or day as zero, so that a partial date sorts just
// before the dated entries it contains.
func (p DatePart) key() int {
	m := p.Month
	if m == 0 && p.Season != NoSeason {
		m = 3 * int(p.Season)
	}
	return p.Year*10000 + m*100 + p.Day
}

// Date is a publication date as the record states it: one point or a range
// (Start to End), at year, season, month or day precision, possibly
// approximate. Raw holds text that could not be read as a date — from an
// import or an older record — so that it still displays and cites instead
// of failing; Start and End are zero then.
type Date struct {
	Start DatePart
	End   DatePart // zero unless a range
	Circa bool
	Raw   string
}

// IsZero reports whether d holds nothing.
func (d Date) IsZero() bool { return d == Date{} }

// IsRange reports whether d spans from Start to a different End.
func (d Date) IsRange() bool { return !d.End.IsZero() && d.End != d.Start }

// Precision reports how exact the start of d is.
func (d Date) Precision() Precision { return d.Start.Precision() }

// SortKey returns an integer that orders dates chronologically by their
// start (YYYYMMDD with absent parts as zero, seasons as their first month),
// or 0 for an empty or unreadable date. Stores index it so that lists sort
// newest first whatever the precision.
func (d Date) SortKey() int {
	if d.Raw != "" {
		return 0
	}
	return d.Start.key()
}

// Time returns the first instant of d's start in UTC, or the zero time when
// d has no readable start.
func (d Date) Time() time.Time {
	p := d.Start
	if d.Raw != "" || p.Year == 0 {
		return time.Time{}
	}
	m, day := p.Month, p.Day
	if m == 0 {
		m = max(1, 3*int(p.Season))
	}
	if day == 0 {
		day = 1
	}
	return time.Date(p.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// Validate reports what is wrong with d, naming the field as given.
func (d Date) Validate(field string) error {
	var v validator
	d.validate(&v, field)
	return v.err("date " + strconv.Quote(d.String()))
}

func (d Date) validate(v *validator, field string) {
	if d.Raw != "" {
		if !d.Start.IsZero() || !d.End.IsZero() {
			v.add(field, "has both unreadable text and date parts")
		}
		return
	}
	if d.Start.IsZero() {
		if !d.End.IsZero() || d.Circa {
			v.add(field, "range or circa without a start date")
		}
		return
	}
	if msg := d.Start.problem(); msg != "" {
		v.add(field, "start: "+msg)
	}
	if d.End.IsZero() {
		return
	}
	if msg := d.End.problem(); msg != "" {
		v.add(field, "end: "+msg)
	} else if d.End.key() < d.Start.key() {
		v.add(field, "range ends before it starts")
	}
}

func (p DatePart) problem() string {
	switch {
	case p.Year < 1 || p.Year > 9999:
		return fmt.Sprintf("year %d out of range 1–9999", p.Year)
	case p.Month < 0 || p.Month > 12:
		return fmt.Sprintf("month %d out of range 1–12", p.Month)
	case p.Season < NoSeason || p.Season > Winter:
		return fmt.Sprintf("season %d out of range 1–4", p.Season)
	case p.Season != NoSeason && (p.Month != 0 || p.Day != 0):
		return "a season cannot have a month or day"
	case p.Day != 0 && p.Month == 0:
		return "a day needs a month"
	case p.Day < 0 || p.Day > daysIn(p.Year, p.Month):
		return fmt.Sprintf("day %d out of range for %04d-%02d", p.Day, p.Year, p.Month)
	}
	return ""
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns d in the compact form editors type and ParseDate reads
// back: "2015", "2013-09", "2015-03-03", "2014-spring", "2013-09/2013-10",
// with a leading "~" when approximate. An unreadable date returns its text.
func (d Date) String() string {
	if d.Raw != "" {
		return d.Raw
	}
	if d.Start.IsZero() {
		return ""
	}
	s := d.Start.iso()
	if d.IsRange() {
		s += "/" + d.End.iso()
	}
	if d.Circa {
		s = "~" + s
	}
	return s
}

func (p DatePart) iso() string {
	s := fmt.Sprintf("%04d", p.Year)
	switch {
	case p.Month != 0 && p.Day != 0:
		s += fmt.Sprintf("-%02d-%02d", p.Month, p.Day)
	case p.Month != 0:
		s += fmt.Sprintf("-%02d", p.Month)
	case p.Season != NoSeason:
		s += "-" + strings.ToLower(p.Season.String())
	}
	return s
}

// MarshalText writes d in its compact form (see String).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads d with ParseDate.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Format returns d as readers see it, in English: "2015", "Spring 2014",
// "March 2015", "March 3, 2015", "September–October 2013",
// "March 3–5, 2015", "December 2013–January 2014", "circa 1990".
func (d Date) Format() string {
	if d.Raw != "" {
		return d.Raw
	}
	if d.Start.IsZero() {
		return ""
	}
	var s string
	if !d.IsRange() {
		s = d.Start.format(true)
	} else {
		a, b := d.Start, d.End
		switch {
		case a.Year != b.Year || a.Precision() != b.Precision():
			s = a.format(true) + "–" + b.format(true)
		case a.Precision() == PrecisionDay && a.Month == b.Month:
			s = fmt.Sprintf("%s %d–%d, %d", time.Month(a.Month), a.Day, b.Day, a.Year)
		default:
			s = a.format(false) + "–" + b.format(true)
		}
	}
	if d.Circa {
		s = "circa " + s
	}
	return s
}

// format writes one part; without the year it is the first half of a
// range within one year.
func (p DatePart) format(year bool) string {
	var s string
	switch p.Precision() {
	case PrecisionDay:
		s = fmt.Sprintf("%s %d", time.Month(p.Month), p.Day)
		if year {
			s += ", " + strconv.Itoa(p.Year)
		}
		return s
	case PrecisionMonth:
		s = time.Month(p.Month).String()
	case PrecisionSeason:
		s = p.Season.String()
	case PrecisionYear:
		return strconv.Itoa(p.Year)
	}
	if year {
		s += " " + strconv.Itoa(p.Year)
	}
	return s
}

// CSL returns d as a CSL date. A single season is written the CSL-JSON way
// (the year in date-parts and "season"); a range of seasons uses months
// 13–16, which CSL processors read as seasons.
func (d Date) CSL() csl.Date {
	if d.Raw != "" {
		return csl.Date{Raw: d.Raw}
	}
	if d.Start.IsZero() {
		return csl.Date{}
	}
	out := csl.Date{Circa: d.Circa}
	if !d.IsRange() {
		if d.Start.Precision() == PrecisionSeason {
			out.Parts = [][]int{{d.Start.Year}}
			out.Season = strconv.Itoa(int(d.Start.Season))
			return out
		}
		out.Parts = [][]int{d.Start.cslParts()}
		return out
	}
	out.Parts = [][]int{d.Start.cslParts(), d.End.cslParts()}
	return out
}

func (p DatePart) cslParts() []int {
	switch p.Precision() {
	case PrecisionDay:
		return []int{p.Year, p.Month, p.Day}
	case PrecisionMonth:
		return []int{p.Year, p.Month}
	case PrecisionSeason:
		return []int{p.Year, 12 + int(p.Season)}
	}
	return []int{p.Year}
}

// ParseDate reads a date as an editor writes it. It accepts the compact
// forms ("2015", "2013-09", "2015-03-03", "2014-spring"), English ones
// ("March 2015", "March 3, 2015", "3 March 2015", "Spring 2014"), ranges
// joined by "/" or a dash ("2013-09/2013-10", "September–October 2013",
// "March 3–5, 2015"), and a leading "~", "circa", "ca." or "c." for an
// approximate date. The empty string is the empty date. The result is
// validated, so "2013-02-30" is an error.
func ParseDate(s string) (Date, error) {
	in := s
	s = strings.TrimSpace(s)
	var d Date
	if s == "" {
		return d, nil
	}
	s, d.Circa = cutCirca(s)
	left, right, isRange := splitRange(s)
	var err error
	if !isRange {
		d.Start, err = parsePart(left)
		if err == nil && d.Start.Year == 0 {
			err = fmt.Errorf("no year")
		}
	} else {
		d.Start, d.End, err = parseRange(left, right)
	}
	if err != nil {
		return Date{}, fmt.Errorf("date %q: %w", in, err)
	}
	if d.End == d.Start {
		d.End = DatePart{}
	}
	var v validator
	d.validate(&v, "date")
	if len(v.fields) > 0 {
		return Date{}, fmt.Errorf("date %q: %s", in, v.fields[0].Message)
	}
	return d, nil
}

func cutCirca(s string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, "~"); ok {
		return strings.TrimSpace(rest), true
	}
	lower := strings.ToLower(s)
	for _, p := range []string{"circa ", "ca. ", "ca ", "c. ", "c."} {
		if strings.HasPrefix(lower, p) {
			return strings.TrimSpace(s[len(p):]), true
		}
	}
	return s, false
}

// splitRange splits at "/" or at an en or em dash, or a hyphen with spaces
// around it; a bare hyphen separates the fields of a compact date.
func splitRange(s string) (string, string, bool) {
	for _, sep := range []string{"/", "–", "—", " - ", " to "} {
		if l, r, ok := strings.Cut(s, sep); ok {
			return strings.TrimSpace(l), strings.TrimSpace(r), true
		}
	}
	return s, "", false
}

// parseRange reads both ends, letting the start borrow what it leaves out
// from the end ("September–October 2013") and the end borrow its month
// from the start ("March 3–5, 2015").
func parseRange(left, right string) (DatePart, DatePart, error) {
	a, err := parsePart(left)
	if err != nil {
		return a, DatePart{}, fmt.Errorf("range start: %w", err)
	}
	b, err := parsePart(right)
	if err != nil {
		return a, b, fmt.Errorf("range end: %w", err)
	}
	if b.Year == 0 {
		return a, b, fmt.Errorf("range end %q has no year", right)
	}
	if a.Year == 0 {
		a.Year = b.Year
	}
	if b.Month == 0 && b.Season == NoSeason && b.Day != 0 {
		b.Month = a.Month
	}
	if a.Month == 0 && a.Season == NoSeason && a.Day != 0 {
		a.Month = b.Month
	}
	return a, b, nil
}

var monthNumbers = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
	"oct": 10, "nov": 11, "dec": 12,
}

var seasonNumbers = map[string]Season{
	"spring": Spring, "summer": Summer, "autumn": Autumn, "fall": Autumn, "winter": Winter,
}

// parsePart reads one point: compact "YYYY[-MM[-DD]]" or "YYYY-season", or
// words and numbers in any order, where four digits are a year and one or
// two a day. The year may be missing (the start of a range).
func parsePart(s string) (DatePart, error) {
	var p DatePart
	if s == "" {
		return p, fmt.Errorf("empty")
	}
	if isCompact(s) {
		return parseCompact(s)
	}
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '.'
	})
	for _, f := range fields {
		lower := strings.ToLower(f)
		if m, ok := monthNumbers[lower]; ok && p.Month == 0 && p.Season == NoSeason {
			p.Month = m
			continue
		}
		if se, ok := seasonNumbers[lower]; ok && p.Month == 0 && p.Season == NoSeason {
			p.Season = se
			continue
		}
		n, err := strconv.Atoi(f)
		switch {
		case err != nil || n <= 0:
			return p, fmt.Errorf("%q is not a month, season, day or year", f)
		case len(f) <= 2 && p.Day == 0:
			p.Day = n
		case len(f) >= 3 && p.Year == 0:
			p.Year = n
		default:
			return p, fmt.Errorf("%q repeats a day or year", f)
		}
	}
	return p, nil
}

// isCompact reports whether s looks like "YYYY", "YYYY-MM…" or
// "YYYY-season": digits first, then only hyphens, digits and letters.
func isCompact(s string) bool {
	if len(s) < 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) == 4 || s[4] == '-'
}

func parseCompact(s string) (DatePart, error) {
	var p DatePart
	fields := strings.Split(s, "-")
	if len(fields) > 3 {
		return p, fmt.Errorf("%q: want YYYY, YYYY-MM, YYYY-MM-DD or YYYY-season", s)
	}
	var err error
	if p.Year, err = strconv.Atoi(fields[0]); err != nil {
		return p, fmt.Errorf("%q: year %q is not a number", s, fields[0])
	}
	if len(fields) == 1 {
		return p, nil
	}
	if se, ok := seasonNumbers[strings.ToLower(fields[1])]; ok && len(fields) == 2 {
		p.Season = se
		return p, nil
	}
	if p.Month, err = strconv.Atoi(fields[1]); err != nil || p.Month < 1 || p.Month > 12 {
		return p, fmt.Errorf("%q: %q is not a month (01–12) or season", s, fields[1])
	}
	if len(fields) == 3 {
		if p.Day, err = strconv.Atoi(fields[2]); err != nil || p.Day < 1 {
			return p, fmt.Errorf("%q: %q is not a day", s, fields[2])
		}
	}
	return p, nil
}
