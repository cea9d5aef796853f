package csl_test

import (
	"os"
	"testing"

	"github.com/imprintpub/imprint/csl"
)

// BenchmarkParseItems decodes the 3,279 real references of dev-refs.json,
// as `imprint cite` does before formatting.
func BenchmarkParseItems(b *testing.B) {
	data, err := os.ReadFile("testdata/refs/dev-refs.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := csl.ParseItems(data); err != nil {
			b.Fatal(err)
		}
	}
}
