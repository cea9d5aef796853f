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
		{"bad month", `{"publications":[{"slug":"p","type":"report","title":"T","issued":"2020-13"}]}`, `issued: date "2020-13"`},
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
