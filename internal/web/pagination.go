package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// perPage is the length of a paginated list.
const perPage = 10

// maxPage bounds ?page= so that a crafted value cannot ask the database for
// an absurd offset.
const maxPage = 10000

// pageNumber reads ?page=, treating anything unreadable as the first page.
func pageNumber(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxPage)
}

// pager describes page n of total items at path.
func pager(path string, n, total int) pagerView {
	pages := (total + perPage - 1) / perPage
	v := pagerView{Page: n, Pages: pages}
	link := func(k int) string {
		if k == 1 {
			return path
		}
		return path + "?" + url.Values{"page": {strconv.Itoa(k)}}.Encode()
	}
	if n > 1 {
		v.PrevURL = link(min(n-1, max(pages, 1)))
	}
	if n < pages {
		v.NextURL = link(n + 1)
	}
	return v
}
