package importer

import (
	"testing"

	"github.com/imprintpub/imprint/internal/model"
)

func TestMatchPeople(t *testing.T) {
	stored := func(ps ...model.Person) *people {
		for i := range ps {
			ps[i].ID = int64(i + 1)
			ps[i].Slug = model.Slugify(ps[i].DisplayName())
		}
		return newPeople(ps)
	}
	sheila := model.Person{Given: "Sheila A.", Family: "Smith"}
	sharon := model.Person{Given: "Sharon", Family: "Smith"}
	jose := model.Person{Given: "José", Family: "Gómez-Pérez"}
	vdBerg := model.Person{Given: "Thomas", Family: "Berg", NonDroppingParticle: "van der"}
	jr := model.Person{Given: "Martin Luther", Family: "King", Suffix: "Jr."}
	org := model.Person{Literal: "Council on Foreign Relations"}
	sheilaID := sheila
	sheilaID.ORCID = "0000-0002-1825-0097"
	sharonID := sharon
	sharonID.ORCID = "0000-0001-5109-3700"
	tests := []struct {
		name      string
		stored    *people
		in        model.Person
		want      string // slug matched, "" for none
		ambiguous int
	}{
		{"same name", stored(sheila), model.Person{Given: "Sheila A.", Family: "Smith"}, "sheila-a-smith", 0},
		{"initials for given names", stored(sheila), model.Person{Given: "S. A.", Family: "Smith"}, "sheila-a-smith", 0},
		{"initials without spaces", stored(sheila), model.Person{Given: "S.A.", Family: "Smith"}, "sheila-a-smith", 0},
		{"fewer given names", stored(sheila), model.Person{Given: "Sheila", Family: "SMITH"}, "sheila-a-smith", 0},
		{"full name for stored initials", stored(model.Person{Given: "S. A.", Family: "Smith"}), model.Person{Given: "Sheila A.", Family: "Smith"}, "s-a-smith", 0},
		{"initial fits two people", stored(sheila, sharon), model.Person{Given: "S.", Family: "Smith"}, "", 2},
		{"initial fits one of two", stored(sheila, sharon), model.Person{Given: "S. A.", Family: "Smith"}, "sheila-a-smith", 0},
		{"exact wins over initials", stored(sheila, sharon), model.Person{Given: "Sharon", Family: "Smith"}, "sharon-smith", 0},
		{"different given name", stored(sheila), model.Person{Given: "Sarah", Family: "Smith"}, "", 0},
		{"different second initial", stored(sheila), model.Person{Given: "S. B.", Family: "Smith"}, "", 0},
		{"accents and case", stored(jose), model.Person{Given: "Jose", Family: "gomez-perez"}, "jose-gomez-perez", 0},
		{"particle kept with family", stored(vdBerg), model.Person{Given: "T.", Family: "Berg", NonDroppingParticle: "van der"}, "thomas-van-der-berg", 0},
		{"particle missing", stored(vdBerg), model.Person{Given: "Thomas", Family: "Berg"}, "", 0},
		{"suffix differs", stored(jr), model.Person{Given: "Martin Luther", Family: "King"}, "", 0},
		{"organization", stored(org), model.Person{Literal: "council on foreign relations"}, "council-on-foreign-relations", 0},
		{"no given name against a given name", stored(sheila), model.Person{Family: "Smith"}, "", 0},
		{"ORCID beats a different spelling", stored(sheilaID, sharon), model.Person{Given: "Sheila", Family: "Smith-Jones", ORCID: "0000-0002-1825-0097"}, "sheila-a-smith", 0},
		{"different ORCID is another person", stored(sheilaID), model.Person{Given: "Sheila A.", Family: "Smith", ORCID: "0000-0001-5109-3700"}, "", 0},
		{"ORCID on one side only matches by name", stored(sheilaID), model.Person{Given: "Sheila A.", Family: "Smith"}, "sheila-a-smith", 0},
		{"imported ORCID, stored without", stored(sheila), model.Person{Given: "S. A.", Family: "Smith", ORCID: "0000-0002-1825-0097"}, "sheila-a-smith", 0},
		{"ORCID rules out one of two", stored(sheilaID, sharonID), model.Person{Given: "S.", Family: "Smith", ORCID: "0000-0001-5109-3700"}, "sharon-smith", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, amb := tt.stored.match(&tt.in)
			slug := ""
			if got != nil {
				slug = got.Slug
			}
			if slug != tt.want || len(amb) != tt.ambiguous {
				t.Errorf("match(%q) = %q with %d ambiguous, want %q with %d", tt.in.DisplayName(), slug, len(amb), tt.want, tt.ambiguous)
			}
		})
	}
}
