package model

import (
	"reflect"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/csl"
)

func TestParseDate(t *testing.T) {
	sep, oct := DatePart{Year: 2013, Month: 9}, DatePart{Year: 2013, Month: 10}
	tests := []struct {
		in      string
		want    Date
		compact string // String()
		display string // Format()
	}{
		{"2015", Date{Start: DatePart{Year: 2015}}, "2015", "2015"},
		{"2013-09", Date{Start: sep}, "2013-09", "September 2013"},
		{"2015-03-03", Date{Start: DatePart{Year: 2015, Month: 3, Day: 3}}, "2015-03-03", "March 3, 2015"},
		{"March 3, 2015", Date{Start: DatePart{Year: 2015, Month: 3, Day: 3}}, "2015-03-03", "March 3, 2015"},
		{"3 Mar. 2015", Date{Start: DatePart{Year: 2015, Month: 3, Day: 3}}, "2015-03-03", "March 3, 2015"},
		{"2013-09/2013-10", Date{Start: sep, End: oct}, "2013-09/2013-10", "September–October 2013"},
		{"September–October 2013", Date{Start: sep, End: oct}, "2013-09/2013-10", "September–October 2013"},
		{"2014-spring", Date{Start: DatePart{Year: 2014, Season: Spring}}, "2014-spring", "Spring 2014"},
		{"Spring 2014", Date{Start: DatePart{Year: 2014, Season: Spring}}, "2014-spring", "Spring 2014"},
		{"fall 2014", Date{Start: DatePart{Year: 2014, Season: Autumn}}, "2014-autumn", "Autumn 2014"},
		{"~1990", Date{Start: DatePart{Year: 1990}, Circa: true}, "~1990", "circa 1990"},
		{"circa 1990", Date{Start: DatePart{Year: 1990}, Circa: true}, "~1990", "circa 1990"},
		{"ca. 1990", Date{Start: DatePart{Year: 1990}, Circa: true}, "~1990", "circa 1990"},
		{"March 3–5, 2015", Date{Start: DatePart{Year: 2015, Month: 3, Day: 3}, End: DatePart{Year: 2015, Month: 3, Day: 5}},
			"2015-03-03/2015-03-05", "March 3–5, 2015"},
		{"2015-03-30/2015-04-02", Date{Start: DatePart{Year: 2015, Month: 3, Day: 30}, End: DatePart{Year: 2015, Month: 4, Day: 2}},
			"2015-03-30/2015-04-02", "March 30–April 2, 2015"},
		{"2013-12/2014-01", Date{Start: DatePart{Year: 2013, Month: 12}, End: DatePart{Year: 2014, Month: 1}},
			"2013-12/2014-01", "December 2013–January 2014"},
		{"2013/2015", Date{Start: DatePart{Year: 2013}, End: DatePart{Year: 2015}}, "2013/2015", "2013–2015"},
		{"Spring–Summer 2014", Date{Start: DatePart{Year: 2014, Season: Spring}, End: DatePart{Year: 2014, Season: Summer}},
			"2014-spring/2014-summer", "Spring–Summer 2014"},
		{"2015/2015", Date{Start: DatePart{Year: 2015}}, "2015", "2015"},
		{"", Date{}, "", ""},
		{"  2016-02-29 ", Date{Start: DatePart{Year: 2016, Month: 2, Day: 29}}, "2016-02-29", "February 29, 2016"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDate(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if s := got.String(); s != tt.compact {
			t.Errorf("ParseDate(%q).String() = %q, want %q", tt.in, s, tt.compact)
		}
		if s := got.Format(); s != tt.display {
			t.Errorf("ParseDate(%q).Format() = %q, want %q", tt.in, s, tt.display)
		}
		back, err := ParseDate(got.String())
		if err != nil || back != got {
			t.Errorf("round trip of %q through %q = %+v, %v", tt.in, got.String(), back, err)
		}
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"2013-13", "not a month"},
		{"2013-02-30", "day 30 out of range"},
		{"2015-02-29", "day 29 out of range"},
		{"yesterday", `"yesterday" is not`},
		{"2013-10/2013-09", "ends before it starts"},
		{"September", "no year"},
		{"2013-09/", "range end"},
		{"1 2 2013", "repeats"},
		{"2013-09-01-02", "want YYYY"},
		{"May 5–", "range end"},
	}
	for _, tt := range tests {
		_, err := ParseDate(tt.in)
		if err == nil {
			t.Errorf("ParseDate(%q) = nil error, want one containing %q", tt.in, tt.msg)
			continue
		}
		if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), tt.in) {
			t.Errorf("ParseDate(%q) error = %q, want it to quote the input and contain %q", tt.in, err, tt.msg)
		}
	}
}

func TestDateSortKey(t *testing.T) {
	// Newest first, whatever the precision.
	order := []string{"2015-03-03", "2015-03", "2015", "2014-winter", "2014-09-30", "2014-spring", "2013-09/2013-10"}
	prev := 1 << 62
	for _, s := range order {
		k := mustDate(t, s).SortKey()
		if k >= prev {
			t.Errorf("SortKey(%q) = %d, not below the previous %d", s, k, prev)
		}
		prev = k
	}
	if k := (Date{Raw: "forthcoming"}).SortKey(); k != 0 {
		t.Errorf("SortKey of a raw date = %d, want 0", k)
	}
}

func TestDateCSL(t *testing.T) {
	tests := []struct {
		d    Date
		want csl.Date
	}{
		{Date{}, csl.Date{}},
		{Date{Raw: "forthcoming"}, csl.Date{Raw: "forthcoming"}},
		{Date{Start: DatePart{Year: 2014, Season: Winter}}, csl.Date{Parts: [][]int{{2014}}, Season: "4"}},
		{Date{Start: DatePart{Year: 1990}, Circa: true}, csl.Date{Parts: [][]int{{1990}}, Circa: true}},
		{Date{Start: DatePart{Year: 2015, Month: 3, Day: 3}}, csl.Date{Parts: [][]int{{2015, 3, 3}}}},
	}
	for _, tt := range tests {
		if got := tt.d.CSL(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v.CSL() = %+v, want %+v", tt.d, got, tt.want)
		}
	}
}

func TestRawDate(t *testing.T) {
	d := Date{Raw: "2013-13-45 (garbled)"}
	if d.Format() != d.Raw || d.String() != d.Raw {
		t.Errorf("raw date displays as %q / %q, want its text", d.Format(), d.String())
	}
	if err := d.Validate("Issued"); err != nil {
		t.Errorf("raw date must stay valid so imports keep it: %v", err)
	}
	if !d.Time().IsZero() {
		t.Errorf("raw date Time() = %v, want zero", d.Time())
	}
}
