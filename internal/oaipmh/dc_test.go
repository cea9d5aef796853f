package oaipmh

import (
	"encoding/xml"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
)

func TestDublinCoreIsTheGetRecordMetadata(t *testing.T) {
	p := &model.Publication{
		Slug: "a-b", Type: model.TypeReport, Title: "Fish & <Chips>", Status: model.StatusPublished,
		Contributions: []model.Contribution{{Person: model.Person{Slug: "x", Family: "Smith", Given: "Ann"}, Role: model.RoleAuthor}},
		Venue:         model.Venue{Publisher: "Imprint Institute"},
	}
	b := DublinCore(p, "https://example.org")
	var doc struct {
		XMLName    xml.Name
		Title      []string `xml:"http://purl.org/dc/elements/1.1/ title"`
		Creator    []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		Identifier []string `xml:"http://purl.org/dc/elements/1.1/ identifier"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("record does not parse: %v\n%s", err, b)
	}
	if doc.XMLName.Space != "http://www.openarchives.org/OAI/2.0/oai_dc/" || doc.XMLName.Local != "dc" {
		t.Errorf("root element %v", doc.XMLName)
	}
	if len(doc.Title) != 1 || doc.Title[0] != p.Title {
		t.Errorf("titles %q", doc.Title)
	}
	if len(doc.Creator) != 1 || doc.Creator[0] != "Ann Smith" {
		t.Errorf("creators %q", doc.Creator)
	}
	if len(doc.Identifier) == 0 || doc.Identifier[0] != "https://example.org/publications/a-b" {
		t.Errorf("identifiers %q", doc.Identifier)
	}
}
