package meta

import (
	"strconv"
	"strings"
)

// journalTypes are the CSL types whose container is a periodical.
var journalTypes = map[string]bool{
	"article-journal": true, "article-magazine": true, "article-newspaper": true,
	"periodical": true, "review": true, "review-book": true,
}

// bookPartTypes are the CSL types whose container is a book.
var bookPartTypes = map[string]bool{
	"chapter": true, "entry": true, "entry-dictionary": true, "entry-encyclopedia": true,
}

// highwire returns the citation_* tags as Google Scholar's inclusion
// guidelines define them. Scholar reads a full date as YYYY/MM/DD and
// anything less exact as the year alone.
func (r *record) highwire() []Tag {
	var t tags
	t.add("citation_title", r.v("title"))
	authors := r.creators()
	if len(authors) == 0 {
		// An edited volume is indexed under its editors.
		authors = r.withRole("editor")
	}
	for _, a := range authors {
		t.add("citation_author", invertedName(a.name))
	}
	t.add("citation_publication_date", highwireDate(r.date))
	container := r.v("container-title")
	switch {
	case journalTypes[r.cslType]:
		t.add("citation_journal_title", container)
	case bookPartTypes[r.cslType]:
		t.add("citation_book_title", container)
	case r.cslType == "paper-conference":
		t.add("citation_conference_title", container)
	case r.cslType == "report":
		t.add("citation_technical_report_institution", r.v("publisher"))
		t.add("citation_technical_report_number", r.v("number"))
	case r.cslType == "thesis":
		t.add("citation_dissertation_institution", r.v("publisher"))
	}
	t.add("citation_volume", r.v("volume"))
	t.add("citation_issue", r.v("issue"))
	t.add("citation_firstpage", r.firstPg)
	t.add("citation_lastpage", r.lastPg)
	t.add("citation_doi", r.v("DOI"))
	t.add("citation_issn", r.v("ISSN"))
	t.add("citation_isbn", r.v("ISBN"))
	t.add("citation_publisher", r.v("publisher"))
	t.add("citation_language", r.lang)
	t.add("citation_keywords", strings.Join(r.topics, "; "))
	t.add("citation_abstract_html_url", r.pg.URL)
	t.add("citation_fulltext_html_url", r.pg.FullTextURL)
	t.add("citation_pdf_url", r.pg.PDFURL)
	return t
}

func highwireDate(parts []int) string {
	switch len(parts) {
	case 0:
		return ""
	case 3:
		return pad(parts[0], 4) + "/" + pad(parts[1], 2) + "/" + pad(parts[2], 2)
	}
	return strconv.Itoa(parts[0])
}
