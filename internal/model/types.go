package model

import "slices"

// Type is the display type of a publication: a CSL item type, or one of
// the kinds a research organization shows that CSL has no name for
// (podcast, event, video, op-ed, commentary). Each maps to one CSL type
// for citations; the display type is what readers see and filter on.
type Type string

// Display types beyond CSL's own.
const (
	TypePodcast    Type = "podcast"
	TypeEvent      Type = "event"
	TypeVideo      Type = "video"
	TypeOpEd       Type = "op-ed"
	TypeCommentary Type = "commentary"
)

// CSL types used often enough to name.
const (
	TypeArticleJournal   Type = "article-journal"
	TypeArticleMagazine  Type = "article-magazine"
	TypeArticleNewspaper Type = "article-newspaper"
	TypeBook             Type = "book"
	TypeChapter          Type = "chapter"
	TypeReport           Type = "report"
	TypeWebpage          Type = "webpage"
)

type typeInfo struct {
	csl   string
	label string
}

// types lists every accepted type. The display-only types choose the CSL
// type whose rendering fits best: a podcast episode cites as a broadcast, a
// recorded talk as a motion picture, an op-ed as the newspaper article it
// is, and commentary on the organization's own site as a blog post.
var types = map[Type]typeInfo{
	TypePodcast:    {"broadcast", "Podcast"},
	TypeEvent:      {"event", "Event"},
	TypeVideo:      {"motion_picture", "Video"},
	TypeOpEd:       {"article-newspaper", "Op-Ed"},
	TypeCommentary: {"post-weblog", "Commentary"},

	"article":                {"article", "Article"},
	"article-journal":        {"article-journal", "Journal Article"},
	"article-magazine":       {"article-magazine", "Magazine Article"},
	"article-newspaper":      {"article-newspaper", "Newspaper Article"},
	"bill":                   {"bill", "Bill"},
	"book":                   {"book", "Book"},
	"broadcast":              {"broadcast", "Broadcast"},
	"chapter":                {"chapter", "Book Chapter"},
	"classic":                {"classic", "Classic"},
	"collection":             {"collection", "Collection"},
	"dataset":                {"dataset", "Dataset"},
	"document":               {"document", "Document"},
	"entry":                  {"entry", "Entry"},
	"entry-dictionary":       {"entry-dictionary", "Dictionary Entry"},
	"entry-encyclopedia":     {"entry-encyclopedia", "Encyclopedia Entry"},
	"figure":                 {"figure", "Figure"},
	"graphic":                {"graphic", "Graphic"},
	"hearing":                {"hearing", "Hearing"},
	"interview":              {"interview", "Interview"},
	"legal_case":             {"legal_case", "Legal Case"},
	"legislation":            {"legislation", "Legislation"},
	"manuscript":             {"manuscript", "Manuscript"},
	"map":                    {"map", "Map"},
	"motion_picture":         {"motion_picture", "Film"},
	"musical_score":          {"musical_score", "Musical Score"},
	"pamphlet":               {"pamphlet", "Pamphlet"},
	"paper-conference":       {"paper-conference", "Conference Paper"},
	"patent":                 {"patent", "Patent"},
	"performance":            {"performance", "Performance"},
	"periodical":             {"periodical", "Periodical"},
	"personal_communication": {"personal_communication", "Personal Communication"},
	"post":                   {"post", "Post"},
	"post-weblog":            {"post-weblog", "Blog Post"},
	"regulation":             {"regulation", "Regulation"},
	"report":                 {"report", "Report"},
	"review":                 {"review", "Review"},
	"review-book":            {"review-book", "Book Review"},
	"software":               {"software", "Software"},
	"song":                   {"song", "Recording"},
	"speech":                 {"speech", "Speech"},
	"standard":               {"standard", "Standard"},
	"thesis":                 {"thesis", "Thesis"},
	"treaty":                 {"treaty", "Treaty"},
	"webpage":                {"webpage", "Web Page"},
}

// Valid reports whether t is a known type.
func (t Type) Valid() bool { _, ok := types[t]; return ok }

// CSLType returns the CSL item type that t cites as, or "document" for an
// unknown type so that a bad record still cites.
func (t Type) CSLType() string {
	if ti, ok := types[t]; ok {
		return ti.csl
	}
	return "document"
}

// Label returns the reader-facing name of t ("Journal Article", "Podcast").
func (t Type) Label() string {
	if ti, ok := types[t]; ok {
		return ti.label
	}
	return string(t)
}

// Types returns every known type, display types first, in a stable order
// fit for a select box.
func Types() []Type {
	out := []Type{TypeReport, TypeArticleJournal, TypeArticleMagazine, TypeArticleNewspaper,
		TypeOpEd, TypeCommentary, TypeBook, TypeChapter, TypePodcast, TypeEvent, TypeVideo}
	seen := map[Type]bool{}
	for _, t := range out {
		seen[t] = true
	}
	rest := make([]Type, 0, len(types))
	for t := range types {
		if !seen[t] {
			rest = append(rest, t)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// Role is what a person did for a publication.
type Role string

// The roles a contributor can have.
const (
	RoleAuthor     Role = "author"
	RoleEditor     Role = "editor"
	RoleTranslator Role = "translator"
	RoleHost       Role = "host"
	RoleGuest      Role = "guest"
	RoleModerator  Role = "moderator"
)

type roleInfo struct {
	csl   string
	label string
}

// roles maps each role to its CSL name variable. A moderator chairs a
// panel, which CSL 1.0.2 calls "chair".
var roles = map[Role]roleInfo{
	RoleAuthor:     {"author", "Author"},
	RoleEditor:     {"editor", "Editor"},
	RoleTranslator: {"translator", "Translator"},
	RoleHost:       {"host", "Host"},
	RoleGuest:      {"guest", "Guest"},
	RoleModerator:  {"chair", "Moderator"},
}

// Roles returns every role in the order bylines list them.
func Roles() []Role {
	return []Role{RoleAuthor, RoleEditor, RoleTranslator, RoleHost, RoleGuest, RoleModerator}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roles[r]; return ok }

// CSLVariable returns the CSL name variable r maps to ("author", "chair"),
// or "contributor" for an unknown role.
func (r Role) CSLVariable() string {
	if ri, ok := roles[r]; ok {
		return ri.csl
	}
	return "contributor"
}

// Label returns the reader-facing name of r ("Moderator").
func (r Role) Label() string {
	if ri, ok := roles[r]; ok {
		return ri.label
	}
	return string(r)
}
