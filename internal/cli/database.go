package cli

import (
	"os"
	"path/filepath"
)

// databaseEnv names the environment variable that chooses the database
// when --database is not given, so that every app server behind a load
// balancer can be started with the same command line.
const databaseEnv = "IMPRINT_DATABASE_URL"

// databaseLocation returns where the store lives: the --database flag, else
// IMPRINT_DATABASE_URL, else the SQLite file in the data directory (which
// must then be usable).
func databaseLocation(flagValue, dataDir string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if env := os.Getenv(databaseEnv); env != "" {
		return env, nil
	}
	if err := checkDataDir(dataDir); err != nil {
		return "", err
	}
	return filepath.Join(dataDir, databaseFile), nil
}
