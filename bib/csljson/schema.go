package csljson

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// schemaJSON is the CSL-JSON schema of CSL 1.0.2 (schema/csl-data.json,
// MIT licence in schema/LICENSE-schema-MIT.txt). The checks below are
// derived from it when the package loads, so the type list and field kinds
// follow the schema file rather than a copy in code.
//
//go:embed schema/csl-data.json
var schemaJSON []byte

// kind is the shape a field's value must have.
type kind int

const (
	kindString     kind = iota // "string"
	kindStringNum              // "string" or "number"
	kindStringBool             // "string", "number" or "boolean"
	kindNames                  // array of name objects
	kindDate                   // date object
	kindStrings                // array of strings
	kindObject                 // any object
)

func (k kind) String() string {
	return [...]string{"a string", "a string or number", "a string, number or boolean", "an array of names",
		"a date object", "an array of strings", "an object"}[k]
}

// schema holds what validation needs from the schema file.
type schema struct {
	types      map[string]bool
	typeList   []string
	fields     map[string]kind
	nameFields map[string]kind
	dateFields map[string]kind
}

type schemaNode struct {
	Type                 json.RawMessage        `json:"type"`
	Enum                 []string               `json:"enum"`
	Ref                  string                 `json:"$ref"`
	Items                *schemaNode            `json:"items"`
	Properties           map[string]*schemaNode `json:"properties"`
	AnyOf                []*schemaNode          `json:"anyOf"`
	AdditionalProperties *bool                  `json:"additionalProperties"`
}

// types returns the node's JSON types ("string", ["string","number"]).
func (n *schemaNode) types() []string {
	if len(n.Type) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(n.Type, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(n.Type, &many)
	sort.Strings(many)
	return many
}

func scalarKind(n *schemaNode) (kind, error) {
	switch strings.Join(n.types(), ",") {
	case "string":
		return kindString, nil
	case "number,string":
		return kindStringNum, nil
	case "boolean,number,string":
		return kindStringBool, nil
	case "object":
		return kindObject, nil
	}
	return 0, fmt.Errorf("unsupported schema type %s", n.Type)
}

// loadSchema derives the validation tables from the schema file.
func loadSchema(data []byte) (*schema, error) {
	var root struct {
		Items       *schemaNode            `json:"items"`
		Definitions map[string]*schemaNode `json:"definitions"`
	}
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("csl-data schema: %w", err)
	}
	if root.Items == nil || root.Items.Properties == nil {
		return nil, fmt.Errorf("csl-data schema: no item properties")
	}
	s := &schema{types: map[string]bool{}, fields: map[string]kind{}}
	defProps := func(name string) (map[string]kind, error) {
		d := root.Definitions[name]
		if d == nil || len(d.AnyOf) == 0 || d.AnyOf[0].Properties == nil {
			return nil, fmt.Errorf("csl-data schema: definition %q has no object form", name)
		}
		m := map[string]kind{}
		for k, p := range d.AnyOf[0].Properties {
			if len(p.types()) == 1 && p.types()[0] == "array" {
				m[k] = kindStrings // date-parts: checked in detail by checkDate
				continue
			}
			kd, err := scalarKind(p)
			if err != nil {
				return nil, fmt.Errorf("csl-data schema: %s.%s: %w", name, k, err)
			}
			m[k] = kd
		}
		return m, nil
	}
	var err error
	if s.nameFields, err = defProps("name-variable"); err != nil {
		return nil, err
	}
	if s.dateFields, err = defProps("date-variable"); err != nil {
		return nil, err
	}
	for name, p := range root.Items.Properties {
		switch {
		case name == "type":
			for _, t := range p.Enum {
				s.types[t] = true
			}
			s.typeList = append(s.typeList, p.Enum...)
			s.fields[name] = kindString
		case p.Ref == "#/definitions/date-variable":
			s.fields[name] = kindDate
		case p.Items != nil && p.Items.Ref == "#/definitions/name-variable":
			s.fields[name] = kindNames
		case p.Items != nil:
			s.fields[name] = kindStrings
		default:
			k, err := scalarKind(p)
			if err != nil {
				return nil, fmt.Errorf("csl-data schema: field %q: %w", name, err)
			}
			s.fields[name] = k
		}
	}
	if len(s.types) == 0 {
		return nil, fmt.Errorf("csl-data schema: no type enumeration")
	}
	return s, nil
}

// cslSchema holds the tables derived from the embedded schema; schemaErr
// reports a schema file that could not be read, which Parse and Write
// return rather than panicking (TestSchemaLoaded fails on it first).
var cslSchema, schemaErr = func() (*schema, error) {
	s, err := loadSchema(schemaJSON)
	if err != nil {
		return &schema{types: map[string]bool{}, fields: map[string]kind{}, nameFields: map[string]kind{}, dateFields: map[string]kind{}}, err
	}
	return s, nil
}()
