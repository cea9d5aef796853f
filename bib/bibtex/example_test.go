package bibtex_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/imprintpub/imprint/bib/bibtex"
)

func ExampleParse() {
	src := `@string{jcc = {J.~Comput. Chem.}}
@article{sigfridsson,
  author = {Sigfridsson, Emma and van Gennep, Arnold and {World Health Organization}},
  title = {Atomic Charges from the {Electrostatic} Potential},
  journaltitle = jcc, volume = 19, number = 4, pages = {377--395}, date = {1998-03},
}`
	items, err := bibtex.Parse(context.Background(), strings.NewReader(src), &bibtex.Options{File: "refs.bib"})
	if err != nil {
		fmt.Println(err)
		return
	}
	it := items[0]
	fmt.Printf("%s %q %s %v\n", it.Type, it.Vars["container-title"], it.Vars["page"], it.Dates["issued"].Parts)
	fmt.Println(it.Vars["title"])
	for _, n := range it.Names["author"] {
		fmt.Printf("family=%q given=%q non-dropping-particle=%q literal=%q\n", n.Family, n.Given, n.NonDroppingParticle, n.Literal)
	}
	// Output:
	// article-journal "J.\u00a0Comput. Chem." 377-395 [[1998 3]]
	// Atomic Charges from the <span class="nocase">Electrostatic</span> Potential
	// family="Sigfridsson" given="Emma" non-dropping-particle="" literal=""
	// family="Gennep" given="Arnold" non-dropping-particle="van" literal=""
	// family="" given="" non-dropping-particle="" literal="World Health Organization"
}

func ExampleWrite() {
	items, _ := bibtex.Parse(context.Background(), strings.NewReader(`@book{x, author = {Gödel, Kurt}, title = {Über {Sätze}}, year = 1931, month = mar}`), nil)
	_ = bibtex.Write(os.Stdout, items, &bibtex.WriteOptions{Flavor: bibtex.BibTeX, GenerateKeys: true})
	// Output:
	// @book{godel1931uber,
	//   author = {G{\"o}del, Kurt},
	//   title = {{\"U}ber {S{\"a}tze}},
	//   year = {1931},
	//   month = mar,
	// }
}
