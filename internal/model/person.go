package model

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/imprintpub/imprint/csl"
)

// Person is an expert, author or other contributor. A personal name is kept
// in CSL's parts so that every citation style can arrange it; Literal holds
// the whole name of an organization, which is never split.
type Person struct {
	ID                  int64
	Slug                string
	Given               string
	Family              string
	DroppingParticle    string // "de" in "Jean de La Fontaine", dropped when sorting
	NonDroppingParticle string // "van der" in "Thomas van der Berg", kept with the family name
	Suffix              string // "Jr."
	Literal             string // an organization's name; personal parts are empty then
	RoleLine            string // shown in bylines: "Senior Fellow for Japan Studies"
	Bio                 string // Markdown
	// ORCID is the person's ORCID iD, bare ("0000-0002-1825-0097"), ""
	// when unknown; imports match people by it before matching by name.
	ORCID string
	// Photo is the upload key of the person's portrait
	// ("sha256-<hex>.jpg"), "" when there is none.
	Photo     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DisplayName returns the name as a byline shows it. Names written in
// scripts that put the family name first without a space (Chinese,
// Japanese, Korean) are shown that way: 安倍晋三, not 晋三 安倍.
func (p *Person) DisplayName() string {
	if p.Literal != "" {
		return p.Literal
	}
	if familyFirst(p.Family) || familyFirst(p.Given) {
		return p.Family + p.Given
	}
	s := joinNonEmpty(" ", p.Given, p.DroppingParticle, p.NonDroppingParticle, p.Family)
	if p.Suffix != "" {
		s += " " + p.Suffix
	}
	return s
}

// SortName returns the name in the order indexes sort it: "Smith, Sheila
// A.", "Berg, Thomas van der", 安倍晋三, or the literal name.
func (p *Person) SortName() string {
	if p.Literal != "" {
		return p.Literal
	}
	if familyFirst(p.Family) || familyFirst(p.Given) {
		return p.Family + p.Given
	}
	rest := joinNonEmpty(" ", p.Given, p.DroppingParticle, p.NonDroppingParticle)
	s := joinNonEmpty(", ", p.Family, rest)
	if p.Suffix != "" {
		s += ", " + p.Suffix
	}
	return s
}

// CSLName returns the person as a CSL name.
func (p *Person) CSLName() csl.Name {
	var orcid string
	if p.ORCID != "" {
		orcid = "https://orcid.org/" + p.ORCID
	}
	if p.Literal != "" {
		return csl.Name{Literal: p.Literal, ORCID: orcid}
	}
	return csl.Name{
		Family:              p.Family,
		Given:               p.Given,
		DroppingParticle:    p.DroppingParticle,
		NonDroppingParticle: p.NonDroppingParticle,
		Suffix:              p.Suffix,
		ORCID:               orcid,
	}
}

// Validate reports every problem with p's fields.
func (p *Person) Validate() error {
	var v validator
	if !ValidSlug(p.Slug) {
		v.add("Slug", "must be lower-case letters, digits and single hyphens, at most "+strconv.Itoa(MaxSlugLen)+" characters")
	}
	switch {
	case p.Literal != "" && (p.Family != "" || p.Given != ""):
		v.add("Literal", "an organization's name excludes personal name parts")
	case p.Literal == "" && p.Family == "":
		v.add("Family", "is required (or a literal name for an organization)")
	}
	for _, f := range []struct{ name, val string }{
		{"Given", p.Given}, {"Family", p.Family}, {"DroppingParticle", p.DroppingParticle},
		{"NonDroppingParticle", p.NonDroppingParticle}, {"Suffix", p.Suffix}, {"Literal", p.Literal},
		{"RoleLine", p.RoleLine},
	} {
		checkLine(&v, f.name, f.val, 300)
	}
	if p.ORCID != "" && !ValidORCID(p.ORCID) {
		v.add("ORCID", "must be a bare ORCID iD such as \"0000-0002-1825-0097\" with a correct check digit")
	}
	if p.Photo != "" && !validUploadKey(p.Photo) {
		v.add("Photo", "must be an upload key such as \"sha256-<64 hex digits>.jpg\"")
	}
	return v.err("person " + strconv.Quote(p.Slug))
}

// checkLine rejects over-long single-line fields and control characters,
// which have no place in a name or title and break exports.
func checkLine(v *validator, field, s string, maxLen int) {
	if len(s) > maxLen {
		v.add(field, "is longer than "+strconv.Itoa(maxLen)+" bytes")
		return
	}
	if strings.ContainsFunc(s, unicode.IsControl) {
		v.add(field, "contains a line break or control character")
	}
	if s != strings.TrimSpace(s) {
		v.add(field, "has leading or trailing spaces")
	}
}

// familyFirst reports whether s is written in a script whose names are
// ordered family name first and joined without a space.
func familyFirst(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return true
		}
	}
	return false
}

func joinNonEmpty(sep string, parts ...string) string {
	var b strings.Builder
	for _, s := range parts {
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
	}
	return b.String()
}
