package ris_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/imprintpub/imprint/bib/ris"
)

func ExampleParse() {
	src := "TY  - JOUR\r\nAU  - van Gennep, Arnold\r\nAU  - Ryde, Ulf\r\nTI  - Les rites\r\nJO  - Revue\r\n" +
		"DA  - 1909/03//\r\nSP  - 10\r\nEP  - 20\r\nKW  - rites\r\nKW  - passage\r\nER  - \r\n"
	items, err := ris.Parse(context.Background(), strings.NewReader(src), &ris.Options{File: "refs.ris"})
	if err != nil {
		fmt.Println(err)
		return
	}
	it := items[0]
	fmt.Println(it.ID, it.Type, it.Vars["container-title"], it.Vars["page"], it.Dates["issued"].Parts, it.Vars["keyword"])
	fmt.Println(it.Names["author"][0].NonDroppingParticle, it.Names["author"][0].Family)

	_, err = ris.Parse(context.Background(), strings.NewReader("TY  - JOUR\nTI  - Caf\xe9\nER  - \n"), &ris.Options{File: "legacy.ris"})
	fmt.Println(err)
	// Output:
	// ris1 article-journal Revue 10-20 [[1909 3]] rites, passage
	// van Gennep
	// legacy.ris:2:10: not valid UTF-8 (the file is probably in a legacy encoding such as Windows-1252; save it as UTF-8)
}

func ExampleWrite() {
	items, _ := ris.Parse(context.Background(), strings.NewReader("TY  - BOOK\nID  - b1\nA3  - Doe, Jane\nTI  - A Book\nPY  - 2001\nER  - \n"), nil)
	var buf bytes.Buffer
	_ = ris.Write(&buf, items)
	// Lines end in CRLF; shown here without the CR.
	fmt.Print(strings.ReplaceAll(buf.String(), "\r\n", "\n"))
	// Output:
	// TY  - BOOK
	// ID  - b1
	// A3  - Doe, Jane
	// TI  - A Book
	// PY  - 2001
	// ER  -
}
