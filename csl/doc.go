// Package csl is a native processor for the Citation Style Language
// (CSL 1.0.2): it formats citations and bibliographies from CSL-JSON items
// with any CSL style and locale.
//
// A Style is parsed once (ParseStyle) and turned into a Processor for one
// locale (NewProcessor); the Processor is immutable and safe for
// concurrent use. Dependent styles are resolved to their parent through
// Options.LoadStyle, locales come from Options.LoadLocale (this package
// embeds none; package cslstyles bundles the official ones).
//
// Formatting works on a whole document at once, because disambiguation
// and year suffixes depend on every cite:
//
//	p.Render(items, citations, csl.HTML)  // citation clusters and the bibliography
//	p.Bibliography(items, csl.Text)       // bibliography only, items in the given order
//	p.CiteEach(items, csl.Text)           // one first cite per item, disambiguated together
//
// The pipeline follows the specification: locale merge (the style's own
// <locale> blocks, then the locale file, its primary dialect and en-US),
// numbering in first-cite order, bibliography sorting (collated with
// golang.org/x/text/collate), positions, cite sorting, disambiguation
// (given-name expansion with every givenname-disambiguation-rule, added
// names, the disambiguate condition, year suffixes), collapsing and
// grouping, subsequent-author-substitute, and output post-processing
// (punctuation at affix boundaries, punctuation inside quotes, flip-flop
// of italics, bold, small caps and quotes).
//
// Evaluation produces a tagged output tree (out); a Renderer writes it as
// HTML, exactly as the CSL test suite expects, or as plain text. Other
// markup languages are added by implementing Renderer.
//
// Conformance is measured by TestSuite against the vendored official test
// suite (testdata/suite); testdata/suite-passing.txt is the ratchet.
package csl
