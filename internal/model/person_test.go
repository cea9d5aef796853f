package model

import "testing"

func TestPersonNames(t *testing.T) {
	tests := []struct {
		p             Person
		display, sort string
	}{
		{Person{Given: "Sheila A.", Family: "Smith"}, "Sheila A. Smith", "Smith, Sheila A."},
		{Person{Given: "晋三", Family: "安倍"}, "安倍晋三", "安倍晋三"},
		{Person{Given: "정은", Family: "김"}, "김정은", "김정은"},
		{Person{Given: "Thomas", Family: "Berg", NonDroppingParticle: "van der"}, "Thomas van der Berg", "Berg, Thomas van der"},
		{Person{Given: "Martin Luther", Family: "King", Suffix: "Jr."}, "Martin Luther King Jr.", "King, Martin Luther, Jr."},
		{Person{Literal: "Imprint Institute"}, "Imprint Institute", "Imprint Institute"},
		{Person{Family: "Plato"}, "Plato", "Plato"},
	}
	for _, tt := range tests {
		if got := tt.p.DisplayName(); got != tt.display {
			t.Errorf("DisplayName(%+v) = %q, want %q", tt.p, got, tt.display)
		}
		if got := tt.p.SortName(); got != tt.sort {
			t.Errorf("SortName(%+v) = %q, want %q", tt.p, got, tt.sort)
		}
	}
}

func TestPersonValidate(t *testing.T) {
	tests := []struct {
		p     Person
		field string // "" for valid
	}{
		{Person{Slug: "sheila-a-smith", Given: "Sheila A.", Family: "Smith"}, ""},
		{Person{Slug: "org", Literal: "Imprint Institute"}, ""},
		{Person{Slug: "org", Literal: "Imprint", Family: "X"}, "Literal"},
		{Person{Slug: "nobody", Given: "Only"}, "Family"},
		{Person{Slug: "Bad Slug", Family: "X"}, "Slug"},
		{Person{Slug: "x", Family: " X"}, "Family"},
	}
	for _, tt := range tests {
		err := tt.p.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("Validate(%+v) = %v, want nil", tt.p, err)
			}
			continue
		}
		ve, ok := AsValidationError(err)
		if !ok || ve.Field(tt.field) == "" {
			t.Errorf("Validate(%+v) = %v, want an error on %s", tt.p, err, tt.field)
		}
	}
}

func TestTermValidate(t *testing.T) {
	if err := (&Topic{Slug: "security", Name: "Defense and Security"}).Validate(); err != nil {
		t.Errorf("valid topic: %v", err)
	}
	ve, ok := AsValidationError((&Region{ID: 3, ParentID: 3, Slug: "japan"}).Validate())
	if !ok || ve.Field("Name") == "" || ve.Field("ParentID") == "" {
		t.Errorf("region without name and parented to itself: got %v", ve)
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"North Korea in Japan’s Strategic Thinking", "north-korea-in-japans-strategic-thinking"},
		{"U.S.-Japan Relations", "u-s-japan-relations"},
		{"Café Société: Zürich, 2014!", "cafe-societe-zurich-2014"},
		{"  --Hello--  ", "hello"},
		{"日本の防衛政策", ""},
	}
	for _, tt := range tests {
		got := Slugify(tt.in)
		if got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != "" && !ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q is not a valid slug", tt.in, got)
		}
	}
	for s, want := range map[string]bool{"a": true, "a-b-1": true, "": false, "-a": false, "a-": false,
		"a--b": false, "A": false, "a_b": false, "é": false} {
		if got := ValidSlug(s); got != want {
			t.Errorf("ValidSlug(%q) = %v, want %v", s, got, want)
		}
	}
}
