package sqlite

import (
	"os"
	"testing"
)

var benchDirs []string

// mkBenchDir makes a directory for the benchmark database that outlives
// any one benchmark, since the data is generated once per run; TestMain
// removes it.
func mkBenchDir() (string, error) {
	dir, err := os.MkdirTemp("", "imprint-bench-")
	if err == nil {
		benchDirs = append(benchDirs, dir)
	}
	return dir, err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore != nil {
		benchStore.Close()
	}
	for _, d := range benchDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}
