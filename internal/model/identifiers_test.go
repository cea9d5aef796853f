package model

import "testing"

func TestORCID(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"0000-0002-1825-0097", "0000-0002-1825-0097"},
		{"https://orcid.org/0000-0001-5109-3700", "0000-0001-5109-3700"},
		{"0000-0002-1694-233x", "0000-0002-1694-233X"},
		{"orcid:0000000218250097", "0000-0002-1825-0097"},
		{"0000-0002-1825-0098", ""}, // wrong check digit
		{"0000-0002-1825", ""},
		{"abcd-0002-1825-0097", ""},
	}
	for _, tt := range tests {
		if got := NormalizeORCID(tt.in); got != tt.want {
			t.Errorf("NormalizeORCID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidUploadKey(t *testing.T) {
	hex := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	for s, want := range map[string]bool{
		"sha256-" + hex + ".pdf":  true,
		"sha256-" + hex + ".jpg":  true,
		"sha256-" + hex:           false,
		"sha256-" + hex + ".PDF":  false,
		"sha256-" + hex + "./../": false,
		"md5-abc.pdf":             false,
	} {
		if got := validUploadKey(s); got != want {
			t.Errorf("validUploadKey(%q) = %v, want %v", s, got, want)
		}
	}
}

// An ORCID iD travels through the CSL view (as Crossref writes it) and back.
func TestORCIDThroughCSL(t *testing.T) {
	p := &Publication{Slug: "x", Type: TypeReport, Title: "X", Status: StatusDraft,
		Contributions: []Contribution{{Person: Person{Slug: "s", Given: "Sheila A.", Family: "Smith", ORCID: "0000-0002-1825-0097"}, Role: RoleAuthor}}}
	it := p.CSL()
	if got := it.Names["author"][0].ORCID; got != "https://orcid.org/0000-0002-1825-0097" {
		t.Fatalf("CSL name ORCID = %q", got)
	}
	back, _ := FromCSL(it)
	if got := back.Contributions[0].Person.ORCID; got != "0000-0002-1825-0097" {
		t.Errorf("FromCSL ORCID = %q", got)
	}
}
