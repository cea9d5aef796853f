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
