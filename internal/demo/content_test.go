package demo

import (
	"strings"
	"testing"
)

func TestEmbeddedContentIsConsistent(t *testing.T) {
	c, err := parseContent(contentJSON)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Publications); n < 30 {
		t.Errorf("demo has %d publications; topic pages and related lists need at least 30", n)
	}
	types := map[string]int{}
	for _, p := range c.Publications {
		types[p.Type]++
		if strings.TrimSpace(p.Summary) == "" {
			t.Errorf("publication %s has no summary", p.Slug)
		}
	}
	for _, want := range []string{"article-journal", "report", "op-ed", "article-magazine", "chapter", "event", "podcast", "book"} {
		if types[want] == 0 {
			t.Errorf("demo has no %s publication", want)
		}
	}
	var japanese bool
	for _, p := range c.Publications {
		if p.Language == "ja" {
			japanese = true
		}
	}
	if !japanese {
		t.Error("demo has no publication in Japanese")
	}
}

func TestParseContentRejects(t *testing.T) {
	tests := []struct {
		name, json, wantErr string
	}{
		{"unknown field", `{"people":[{"slug":"a","nmae":"x"}]}`, `unknown field "nmae"`},
		{"duplicate person", `{"people":[{"slug":"a"},{"slug":"a"}]}`, `duplicate slug "a"`},
		{"parent after child", `{"topics":[{"slug":"b","name":"B","parent":"a"},{"slug":"a","name":"A"}]}`, `topics "b": parent "a"`},
		{"unknown contributor", `{"publications":[{"slug":"p","type":"report","title":"T","issued":"2020","contributors":[{"person":"x","role":"author"}]}]}`, `publication p: contributor "x"`},
		{"unknown topic", `{"publications":[{"slug":"p","type":"report","title":"T","issued":"2020","topics":["x"]}]}`, `publication p: topic "x"`},
		{"bad month", `{"publications":[{"slug":"p","type":"report","title":"T","issued":"2020-13"}]}`, `month 13 out of range`},
		{"self related", `{"publications":[{"slug":"p","type":"report","title":"T","issued":"2020","related":["p"]}]}`, `related "p"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseContent([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseContent error = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in       string
		from, to []int
		circa    bool
		bad      bool
	}{
		{in: "2015", from: []int{2015}},
		{in: "2013-11-14", from: []int{2013, 11, 14}},
		{in: "2013-09/2013-10", from: []int{2013, 9}, to: []int{2013, 10}},
		{in: "~1952", from: []int{1952}, circa: true},
		{in: "", bad: true},
		{in: "2013-9-x", bad: true},
		{in: "2013-02-40", bad: true},
	}
	for _, tt := range tests {
		d, err := parseDate(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("parseDate(%q) accepted a bad date: %+v", tt.in, d)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseDate(%q): %v", tt.in, err)
			continue
		}
		if !equalInts(d.From, tt.from) || !equalInts(d.To, tt.to) || d.Circa != tt.circa {
			t.Errorf("parseDate(%q) = %+v, want from %v to %v circa %v", tt.in, d, tt.from, tt.to, tt.circa)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
