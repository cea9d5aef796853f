package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/imprintpub/imprint/internal/demo"
)

// exampleSlugs fill the path parameters of documented routes.
var exampleSlugs = map[string]string{
	"/publications/{slug}": demo.SeedSlug,
	"/experts/{slug}":      "sheila-a-smith",
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newFixture(t, "sqlite")
	var doc map[string]any
	rec := f.get("/api/v1/openapi.json")
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	servers, _ := doc["servers"].([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != strings.TrimSuffix(Prefix, "/") {
		t.Fatalf("servers = %v, want one at %s", doc["servers"], Prefix)
	}
	checkRefs(t, doc, doc, "#")

	paths, _ := doc["paths"].(map[string]any)
	var documented []string
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			pattern := strings.ToUpper(method) + " " + strings.TrimSuffix(Prefix, "/") + path
			documented = append(documented, pattern)
			checkAnswers(t, f, path, method, op.(map[string]any), doc)
		}
	}
	var routed []string
	for _, rt := range f.srv.routes() {
		routed = append(routed, rt.pattern)
	}
	slices.Sort(documented)
	slices.Sort(routed)
	if !slices.Equal(documented, routed) {
		t.Errorf("documented operations differ from the routes:\ndocumented %v\n    routed %v", documented, routed)
	}
}

// checkAnswers requests a documented operation and checks that its status
// is documented and, for 200, that the body fits the documented schema.
func checkAnswers(t *testing.T, f *fixture, path, method string, op, doc map[string]any) {
	t.Helper()
	url := strings.TrimSuffix(Prefix, "/") + path
	if strings.Contains(path, "{") {
		slug, ok := exampleSlugs[path]
		if !ok {
			t.Errorf("%s: no example for its parameters", path)
			return
		}
		url = strings.Replace(url, "{slug}", slug, 1)
	}
	rec := f.do(strings.ToUpper(method), url)
	responses, _ := op["responses"].(map[string]any)
	resp, ok := responses[strconv.Itoa(rec.Code)]
	if !ok {
		t.Errorf("%s %s: status %d is not documented", method, url, rec.Code)
		return
	}
	if rec.Code/100 != 2 && rec.Code != http.StatusNotImplemented {
		t.Errorf("%s %s: status %d; a documented route must answer", method, url, rec.Code)
	}
	r := resolve(t, doc, resp.(map[string]any))
	content, _ := r["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	schema, _ := media["schema"].(map[string]any)
	if schema == nil {
		t.Errorf("%s %s: status %d has no JSON schema", method, url, rec.Code)
		return
	}
	var body any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Errorf("%s %s: %v", method, url, err)
		return
	}
	for _, problem := range validate(doc, schema, body, "$") {
		t.Errorf("%s %s: %s", method, url, problem)
	}
}

// resolve follows a local $ref.
func resolve(t *testing.T, doc, v map[string]any) map[string]any {
	t.Helper()
	for range 10 {
		ref, ok := v["$ref"].(string)
		if !ok {
			return v
		}
		target, err := pointer(doc, ref)
		if err != nil {
			t.Fatal(err)
		}
		v = target
	}
	t.Fatalf("$ref loop at %v", v)
	return nil
}

func pointer(doc map[string]any, ref string) (map[string]any, error) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("$ref %q is not local", ref)
	}
	var cur any = doc
	for _, part := range strings.Split(rest, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q: %s is not an object", ref, part)
		}
		if cur, ok = m[part]; !ok {
			return nil, fmt.Errorf("$ref %q: no %s", ref, part)
		}
	}
	m, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("$ref %q does not name an object", ref)
	}
	return m, nil
}

// checkRefs reports every $ref in v that does not resolve.
func checkRefs(t *testing.T, doc map[string]any, v any, at string) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				if _, err := pointer(doc, s); err != nil {
					t.Errorf("at %s: %v", at, err)
				}
			}
			checkRefs(t, doc, x, at+"/"+k)
		}
	case []any:
		for i, x := range v {
			checkRefs(t, doc, x, at+"/"+strconv.Itoa(i))
		}
	}
}

// validate checks v against the parts of JSON Schema the document uses:
// $ref, allOf, type, required, properties, items, enum and const. Formats
// and patterns are not checked.
func validate(doc, schema map[string]any, v any, at string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		target, err := pointer(doc, ref)
		if err != nil {
			return []string{err.Error()}
		}
		return validate(doc, target, v, at)
	}
	var problems []string
	if all, ok := schema["allOf"].([]any); ok {
		for _, s := range all {
			problems = append(problems, validate(doc, s.(map[string]any), v, at)...)
		}
	}
	if typ, ok := schema["type"].(string); ok && !hasType(v, typ) {
		return append(problems, fmt.Sprintf("%s: %T, want %s", at, v, typ))
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		problems = append(problems, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
	}
	if c, ok := schema["const"]; ok && c != v {
		problems = append(problems, fmt.Sprintf("%s: %v, want %v", at, v, c))
	}
	switch v := v.(type) {
	case map[string]any:
		req, _ := schema["required"].([]any)
		for _, name := range req {
			if _, ok := v[name.(string)]; !ok {
				problems = append(problems, fmt.Sprintf("%s: required %s missing", at, name))
			}
		}
		props, _ := schema["properties"].(map[string]any)
		for name, ps := range props {
			if x, ok := v[name]; ok {
				problems = append(problems, validate(doc, ps.(map[string]any), x, at+"."+name)...)
			}
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, x := range v {
				problems = append(problems, validate(doc, items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return problems
}

func hasType(v any, typ string) bool {
	switch typ {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer":
		n, ok := v.(float64)
		return ok && n == float64(int64(n))
	case "number":
		_, ok := v.(float64)
		return ok
	}
	return false
}

// TestValidateFindsMismatches keeps the schema check above honest: a body
// that breaks the document must be reported.
func TestValidateFindsMismatches(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	schema := map[string]any{"$ref": "#/components/schemas/PublicationList"}
	tests := []struct {
		body string
		bad  bool
	}{
		{`{"data": [], "links": {"self": "x"}}`, false},
		{`{"links": {"self": "x"}}`, true},
		{`{"data": {}, "links": {"self": "x"}}`, true},
		{`{"data": [{"slug": "a"}], "links": {"self": "x"}}`, true},
		{`{"data": [], "total": 1.5, "links": {"self": "x"}}`, true},
	}
	for _, tc := range tests {
		var v any
		if err := json.Unmarshal([]byte(tc.body), &v); err != nil {
			t.Fatal(err)
		}
		if got := validate(doc, schema, v, "$"); (len(got) > 0) != tc.bad {
			t.Errorf("%s: problems %v, want bad=%v", tc.body, got, tc.bad)
		}
	}
}
