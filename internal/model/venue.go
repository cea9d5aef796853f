package model

import "strings"

// Venue is where a publication appeared: the journal, magazine, newspaper,
// book or series that contains it, or the publisher that issued it.
type Venue struct {
	ContainerTitle string // "ASAN Forum", the book of a chapter, the podcast's show
	Volume         string
	Issue          string
	Number         string // a report's or working paper's number
	Pages          string // "112-139"
	Publisher      string
	Place          string // of the publisher, or where an event took place
	ISSN           string
	ISBN           string
}

// IsZero reports whether v is empty.
func (v Venue) IsZero() bool { return v == Venue{} }

// Line returns the venue as a one-line credit: "ASAN Forum, Vol. 1, No. 2",
// "Maritime Asia in an Age of Rivalry, pp. 112–139", or the publisher when
// there is no container ("Columbia University Press").
func (v Venue) Line() string {
	var parts []string
	if v.ContainerTitle != "" {
		parts = append(parts, v.ContainerTitle)
	} else if v.Publisher != "" {
		parts = append(parts, v.Publisher)
	}
	if v.Volume != "" {
		parts = append(parts, "Vol. "+v.Volume)
	}
	switch {
	case v.Issue != "":
		parts = append(parts, "No. "+v.Issue)
	case v.Number != "":
		parts = append(parts, "No. "+v.Number)
	}
	if v.Pages != "" {
		pages := strings.ReplaceAll(v.Pages, "-", "–")
		if strings.ContainsAny(pages, "–,") {
			parts = append(parts, "pp. "+pages)
		} else {
			parts = append(parts, "p. "+pages)
		}
	}
	return strings.Join(parts, ", ")
}
