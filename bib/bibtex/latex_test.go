package bibtex

import (
	"strings"
	"testing"
)

func TestToText(t *testing.T) {
	tests := []struct {
		name, in, want string
		mode           textMode
	}{
		{"plain", "Plain words", "Plain words", richText},
		{"umlaut braced", `Schr{\"o}dinger`, "Schrödinger", richText},
		{"umlaut bare", `Schr\"odinger`, "Schrödinger", richText},
		{"acute with braces", `Caf\'{e}`, "Café", richText},
		{"cedilla letter accent", `Fran\c{c}ois and \c c`, "François and ç", richText},
		{"dotless i", `na\"{\i}ve \'\i`, "naïve í", richText},
		{"caron", `Dvo\v{r}\'ak`, "Dvořák", richText},
		{"hungarian umlaut", `Erd\H{o}s`, "Erdős", richText},
		{"combining fallback", `\"{q}`, "q\u0308", richText},
		{"special letters", `Stra{\ss}e, \o re, {\aa}ngstr\"om, \AE, \l{}\'od\'z`, "Straße, øre, ångström, Æ, łódź", richText},
		{"dashes", "1990--1995 and a---b and a-b", "1990–1995 and a—b and a-b", richText},
		{"tie", `J.~Chem.`, "J.\u00a0Chem.", richText},
		{"escapes", `Smith \& Sons, 50\%, \$5, \#1, a\_b`, "Smith & Sons, 50%, $5, #1, a_b", richText},
		{"quotes", "``Hello'' and `single'", "“Hello” and ‘single'", richText},
		{"math kept", `The $O(n^2)$ bound for $\alpha$`, `The $O(n^2)$ bound for $\alpha$`, richText},
		{"unpaired dollar", `costs 5\$ or $3`, "costs 5$ or $3", richText},
		{"protected word", "The {NASA} mission", `The <span class="nocase">NASA</span> mission`, richText},
		{"protected whole", "{An Entire Title}", `<span class="nocase">An Entire Title</span>`, richText},
		{"special char not protected", `{\"U}ber {\em alles}`, "Über <i>alles</i>", richText},
		{"nested braces inside protection", "{DNA {and} RNA}", `<span class="nocase">DNA and RNA</span>`, richText},
		{"emph", `\emph{Nature} \textbf{bold} \textsc{Caps}`, `<i>Nature</i> <b>bold</b> <span style="font-variant:small-caps;">Caps</span>`, richText},
		{"super and sub", `H\textsubscript{2}O and 10\textsuperscript{th}`, "H<sub>2</sub>O and 10<sup>th</sup>", richText},
		{"switch to group end", `{\bf Bold} plain`, "<b>Bold</b> plain", richText},
		{"blanks collapse", "a \n\t  b  ", "a b", richText},
		{"plain mode drops markup", `{NASA} \emph{x}`, "NASA x", plainText},
		{"unknown command keeps argument", `\foo{bar} baz`, "bar baz", richText},
		{"href text", `\href{http://x.org}{the site}`, "the site", richText},
		{"url", `\url{http://x.org/a_b}`, "http://x.org/a_b", richText},
		{"control space after word", `\TeX\ book and \LaTeX{} rules`, "TeX book and LaTeX rules", richText},
		{"empty group separates", "-{}-", "--", richText},
		{"symbols", `\S{} 3, \copyright, \ldots, \textendash`, "§ 3, ©, …, –", richText},
		{"enquote", `\mkbibquote{Intention}`, "“Intention”", richText},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := toText(tc.in, tc.mode)
			if err != nil {
				t.Fatalf("toText(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("toText(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestToTextErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"deep braces", strings.Repeat("{", 200) + "x" + strings.Repeat("}", 200), "nested deeper"},
		{"stray close", "a}b", "unbalanced '}'"},
		{"unclosed", "{a", "unbalanced '{'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := toText(tc.in, richText)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("toText(%q) error = %v, want it to mention %q", tc.in, err, tc.want)
			}
		})
	}
}

// TestEscapeTextRoundTrip checks that what escapeText writes reads back as
// the same CSL text, in both flavours.
func TestEscapeTextRoundTrip(t *testing.T) {
	texts := []string{
		"Plain",
		"Schrödinger’s Straße – “quoted” — ‘single’ ± €",
		`Smith & Sons: 50% of $5 #1 a_b {braces} back\slash ~tilde^caret`,
		"a--b and a---b and ''x'' and `grave`",
		`The <span class="nocase">NASA</span> and <i>italic <b>bold</b></i>`,
		`<span class="nocase">Ötzi</span> and <span class="nocase">\x</span>`,
		"H<sub>2</sub>O, x<sup>2</sup>, <span style=\"font-variant:small-caps;\">Caps</span>",
		"math $x^2_i$ stays",
		"J.\u00a0Chem. thin\u2009space",
		"Łódź Ærøskøbing İstanbul ǅ",
		"a < b > c",
	}
	for _, fl := range []Flavor{BibLaTeX, BibTeX} {
		for _, s := range texts {
			latex := escapeText(s, fl)
			back, err := toText(latex, richText)
			if err != nil {
				t.Errorf("flavour %d: %q → %q: %v", fl, s, latex, err)
				continue
			}
			if back != s {
				t.Errorf("flavour %d: %q\n wrote %q\n  read %q", fl, s, latex, back)
			}
			if fl == BibTeX && strings.Contains(s, "ö") && strings.Contains(latex, "ö") {
				t.Errorf("BibTeX flavour kept non-ASCII: %q", latex)
			}
		}
	}
}

// TestComposedTable checks the accent table against the combining marks:
// each entry is a letter with the accent its key names, so writing it back
// (decomposed) gives the same key.
func TestComposedTable(t *testing.T) {
	for k, r := range composed {
		if _, ok := combining[k.accent]; !ok {
			t.Errorf("%q: accent %q has no combining mark", r, k.accent)
		}
		if back := decomposed[r]; back != k {
			t.Errorf("%q decomposes to %q, want %q", r, back, k)
		}
	}
	if len(composed) < 300 {
		t.Errorf("only %d precomposed characters", len(composed))
	}
}
