package admin

import "testing"

// TestTemplatesParse fails when a template is broken or a page the
// handlers render is missing, as New would at start-up.
func TestTemplatesParse(t *testing.T) {
	tmpl, err := parseTemplates(templateFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"login", "error", "dashboard", "publications", "publication_edit", "publication_purge", "revisions", "revision_diff"} {
		if tmpl[name] == nil {
			t.Errorf("template %q missing", name)
		}
	}
}

func TestFieldLabel(t *testing.T) {
	for in, want := range map[string]string{
		"Title":                   "Title",
		"Venue.ISSN":              "ISSN",
		"Issued":                  "Date",
		"Contributions[0].Person": "Contributor 1: person",
		"Contributions[11].Given": "Contributor 12: given name",
		"Related[2]":              "Related publication 3",
		"Something.Else":          "Something.Else",
	} {
		if got := fieldLabel(in); got != want {
			t.Errorf("fieldLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
