package feed

import "net/url"

// Alternate is a feed a page announces with
// <link rel="alternate" type="{Type}" title="{Title}" href="{Href}">.
type Alternate struct {
	Type  string // media type
	Title string // "Atom", "RSS", "JSON Feed"
	Href  string // site-relative path
}

// Scopes a page can have feeds for.
const (
	ScopeSite   = ""
	ScopeTopic  = "topics"
	ScopeRegion = "regions"
	ScopeExpert = "experts"
	ScopeType   = "types"
)

// Alternates returns the three feeds of the site (scope ScopeSite) or of
// one topic, region, expert or type, named by slug, for a page's head. It
// returns nil for an unknown scope or an empty slug.
func Alternates(scope, slug string) []Alternate {
	prefix := ""
	switch scope {
	case ScopeSite:
	case ScopeTopic, ScopeRegion, ScopeExpert, ScopeType:
		if slug == "" {
			return nil
		}
		prefix = "/" + scope + "/" + url.PathEscape(slug)
	default:
		return nil
	}
	return []Alternate{
		{"application/atom+xml", "Atom", prefix + "/feed.atom"},
		{"application/rss+xml", "RSS", prefix + "/feed.rss"},
		{"application/feed+json", "JSON Feed", prefix + "/feed.json"},
	}
}
