package bibtex

import "testing"

func TestProtectCase(t *testing.T) {
	const nc = `<span class="nocase">`
	tests := []struct{ in, want string }{
		{"The Philippines Rediscovers Its Alliance", "The " + nc + "Philippines</span> " + nc + "Rediscovers</span> " + nc + "Its</span> " + nc + "Alliance</span>"},
		{"a model of leptons", "a model of leptons"},
		{"Cost-Sharing fights", nc + "Cost-Sharing</span> fights"},
		{"LNG and energy", nc + "LNG</span> and energy"},
		{"Space: The frontier", "Space: " + nc + "The</span> frontier"},
		{"strain: efficient catalysts", "strain: " + nc + "efficient</span> catalysts"},
		{"a: 2 b", "a: 2 b"},
		{"on <i>De Anima</i>", "on <i>" + nc + "De</span> " + nc + "Anima</span></i>"},
		{"<i>De</i> anima", "<i>De</i> anima"},
		{"kept " + nc + "NASA Goddard</span> as is", "kept " + nc + "NASA Goddard</span> as is"},
		{"“Über” die Welt", "“Über” die " + nc + "Welt</span>"},
		{"1736–1739 in Georgia", "1736–1739 in " + nc + "Georgia</span>"},
		{"Twice-Born, Once Conceived:", nc + "Twice-Born</span>, " + nc + "Once</span> " + nc + "Conceived</span>:"},
		{"Aristotle's (“De Motu”)", "Aristotle's (“" + nc + "De</span> " + nc + "Motu</span>”)"},
		{"", ""},
	}
	for _, tc := range tests {
		got := protectCase(tc.in)
		if got != tc.want {
			t.Errorf("protectCase(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		if again := protectCase(got); again != got {
			t.Errorf("protectCase is not idempotent on %q: %q", got, again)
		}
	}
}
