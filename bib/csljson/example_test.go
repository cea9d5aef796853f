package csljson_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/imprintpub/imprint/bib/csljson"
)

func ExampleParse() {
	src := `[
  {"id": "a", "type": "book", "title": "Fine"},
  {"id": "b", "type": "journalArticle", "title": "Zotero's type name"}
]`
	_, err := csljson.Parse(context.Background(), strings.NewReader(src), &csljson.Options{File: "refs.json"})
	fmt.Println(err)
	// Output:
	// refs.json:3:23: item 1: entry "b": field "type": "journalArticle" is not a CSL item type (did you mean "article-journal"?)
}

func ExampleWrite() {
	items, _ := csljson.Parse(context.Background(), strings.NewReader(`[{"id": "a", "type": "book", "title": "<i>Nature</i> & Co", "issued": {"date-parts": [[2001, 2]]}}]`), nil)
	_ = csljson.Write(os.Stdout, items)
	// Output:
	// [
	//   {
	//     "id": "a",
	//     "issued": {
	//       "date-parts": [
	//         [
	//           2001,
	//           2
	//         ]
	//       ]
	//     },
	//     "title": "<i>Nature</i> & Co",
	//     "type": "book"
	//   }
	// ]
}
