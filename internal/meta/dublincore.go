package meta

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// dcNamespace is the namespace of the dc: elements in an oai_dc record.
const dcNamespace = "http://purl.org/dc/elements/1.1/"

// dublinCore turns the elements of an oai_dc record into DC.* tags, in the
// record's order: <dc:title>X</dc:title> becomes DC.title with content X.
func dublinCore(record []byte) ([]Tag, error) {
	dec := xml.NewDecoder(bytes.NewReader(record))
	var out tags
	var name string
	var text strings.Builder
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, col := dec.InputPos()
			return nil, fmt.Errorf("oai_dc record, line %d, column %d: %w", line, col, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 && t.Name.Space == dcNamespace {
				name = "DC." + t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if name != "" {
				text.Write(t)
			}
		case xml.EndElement:
			if depth == 2 && name != "" {
				out.add(name, text.String())
				name = ""
			}
			depth--
		}
	}
	if depth != 0 {
		return nil, errors.New("oai_dc record: unclosed element at end of input")
	}
	return out, nil
}
