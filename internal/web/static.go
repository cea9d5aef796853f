package web

import (
	"embed"
	"net/http"

	"github.com/imprintpub/imprint/internal/pages"
)

//go:embed static
var staticFS embed.FS

// assetVersion changes whenever a static file changes; see
// pages.AssetVersion.
var assetVersion = pages.AssetVersion(staticFS, "static")

// staticHandler serves the embedded CSS and JavaScript; directories are not
// listed.
func staticHandler() http.Handler { return pages.Static(staticFS, "", assetVersion) }
