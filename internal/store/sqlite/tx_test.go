package sqlite

import (
	"testing"

	"github.com/imprintpub/imprint/internal/store"
	"github.com/imprintpub/imprint/internal/store/storetest"
)

func TestTransactor(t *testing.T) {
	storetest.RunTx(t, func(t *testing.T) store.Store { return open(t) })
}
