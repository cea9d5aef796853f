package related

import (
	"math"
	"reflect"
	"testing"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

func TestTextWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"North Korea in Japan's Strategic Thinking", []string{"north", "korea", "japan", "strategic", "thinking"}},
		{"The U.S.-Japan Alliance and the 2015 Guidelines", []string{"japan", "alliance", "guideline"}},
		{"Policies, studies and tariffs", []string{"policy", "study", "tariff"}},
		{"Crisis? Bus stops; glass", []string{"crisis", "bus", "stop", "glass"}},
		{"See [the report](https://www.example.org/report.html).", []string{"see", "report", "example", "report"}},
		{"日本の安全保障", []string{"日本", "本の", "の安", "安全", "全保", "保障"}},
		{"Abe 晋三 reforms", []string{"abe", "晋三", "reform"}},
	}
	for _, tt := range tests {
		if got := textWords(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("textWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCosine(t *testing.T) {
	v := vocabulary{}
	a := v.vectorize(store.Text{Title: "Nuclear deterrence in Asia", Summary: "Deterrence and alliances."})
	same := v.vectorize(store.Text{Title: "Nuclear deterrence in Asia", Summary: "Deterrence and alliances."})
	other := v.vectorize(store.Text{Title: "Farm subsidies", Summary: "Agriculture budgets."})
	part := v.vectorize(store.Text{Title: "Nuclear energy", Summary: "Reactors."})
	if got := cosine(&a, &same); math.Abs(got-1) > 1e-12 {
		t.Errorf("identical texts: %v, want 1", got)
	}
	if got := cosine(&a, &other); got != 0 {
		t.Errorf("unrelated texts: %v, want 0", got)
	}
	if got := cosine(&a, &part); got <= 0 || got >= 1 {
		t.Errorf("texts sharing a title word: %v, want between 0 and 1", got)
	}
	var empty textVec
	if got := cosine(&a, &empty); got != 0 {
		t.Errorf("empty text: %v", got)
	}
}

// Candidates that tie on shared terms are ordered by how alike their texts
// are; an override stays first whatever its text.
func TestRankByText(t *testing.T) {
	self := store.Facets{ID: 1, Type: model.TypeReport, Topics: []int64{7}}
	cand := func(id int64) store.Facets {
		return store.Facets{ID: id, Type: model.TypeReport, Topics: []int64{7}}
	}
	set := &store.RelatedSet{
		Self:       self,
		Overrides:  []int64{5},
		Candidates: []store.Facets{cand(2), cand(3), cand(4)},
		Total:      100, TopicCount: map[int64]int{7: 4},
		Texts: map[int64]store.Text{
			1: {ID: 1, Title: "Nuclear deterrence on the Korean peninsula"},
			2: {ID: 2, Title: "Farm subsidies in Europe"},
			3: {ID: 3, Title: "Deterrence and the Korean peninsula after 2018"},
			4: {ID: 4, Title: "Korean trade"},
			5: {ID: 5, Title: "Unrelated override"},
		},
	}
	got := Rank(set, 4, DefaultWeights)
	var order []int64
	for _, r := range got {
		order = append(order, r.ID)
	}
	if want := []int64{5, 3, 4, 2}; !reflect.DeepEqual(order, want) {
		t.Errorf("order %v, want %v (%+v)", order, want, got)
	}
	if got[1].Text <= got[2].Text || got[3].Text != 0 {
		t.Errorf("text similarities %v %v %v", got[1].Text, got[2].Text, got[3].Text)
	}
	// Without texts, the tie is broken by ID, newest first.
	set.Texts = nil
	order = nil
	for _, r := range Rank(set, 4, DefaultWeights) {
		order = append(order, r.ID)
	}
	if want := []int64{5, 4, 3, 2}; !reflect.DeepEqual(order, want) {
		t.Errorf("without texts: order %v, want %v", order, want)
	}
}
