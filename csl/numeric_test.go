package csl

import "testing"

// The expectations were read from citeproc-js 2.4.63 (is-numeric and the
// label of a volume).
func TestNumberInfo(t *testing.T) {
	tests := []struct {
		v, s            string
		numeric, plural bool
	}{
		{"volume", "3", true, false},
		{"volume", "第1册", false, false},
		{"volume", "3, Sektion 9: Luxemburgistik im", true, true},
		{"volume", "9; 11", true, true},
		{"volume", "28/1–2", false, false},
		{"volume", "1883, 1(1)-", true, true},
		{"volume", "v. 96", false, false},
		{"volume", "vol. 3", true, false},
		{"issue", "vol. 3", false, false},
		{"number", "vol. 3", true, false},
		{"volume", "4.3", false, false},
		{"volume", "13.3, 13.4", false, false},
		{"volume", "12, 13", true, true},
		{"volume", "3-4", true, true},
		{"volume", "iv", true, false},
		{"volume", "IV", false, false},
		{"volume", "S5", true, false},
		{"volume", "5th", true, false},
		{"volume", "1 & 2", true, true},
		{"volume", "3 and 4", true, true},
		{"volume", "Nr. 2", false, false},
		{"volume", "7178999X-2006BAK04A10/10.2013", true, true},
		{"volume", "1(1)", false, false},
		{"volume", "123 S.", false, false},
		{"edition", "", false, false},
		{"volume", "31/32", true, false},
		{"volume", "31/32/33", true, false},
		{"volume", "28/1-2", false, false},
		{"volume", "3/4, 5", false, false},
		{"volume", "5, 3/4", true, true},
		{"volume", "1/2a", false, false},
		{"volume", "3 / 4", false, false},
	}
	for _, tt := range tests {
		n, p := numberInfo(tt.v, tt.s)
		if n != tt.numeric || p != tt.plural {
			t.Errorf("numberInfo(%q, %q) = %v, %v; want %v, %v", tt.v, tt.s, n, p, tt.numeric, tt.plural)
		}
	}
}

func TestNumberTextPieces(t *testing.T) {
	tests := []struct{ fn, v, in, want string }{
		{"cap", "edition", "4., neubearbeitete Auflage.", "4., Neubearbeitete Auflage."},
		{"cap", "edition", "first-edition-0-ge0aa8e9", "First-Edition-0-Ge0aa8e9"},
		{"cap", "edition", "2nd", "2nd"},
		{"cap", "edition", "rev. and expanded", "rev. and Expanded"},
		{"cap", "edition", "8., verm. Aufl.", "8., verm. Aufl."},
		{"space", "collection-number", "v.\u00a096", "v. \u00a096"},
		{"space", "collection-number", "x.y", "x. y"},
		{"space", "collection-number", "v. 96", "v. 96"},
		{"space", "volume", "v.96", "v.96"},
		{"space", "number", "vol.5", "vol.5"},
	}
	for _, tt := range tests {
		var got string
		if tt.fn == "cap" {
			got = capitalizePieces(tt.in)
		} else {
			got = spaceAfterAbbrev(tt.v, tt.in)
		}
		if got != tt.want {
			t.Errorf("%s(%q, %q) = %q, want %q", tt.fn, tt.v, tt.in, got, tt.want)
		}
	}
}
