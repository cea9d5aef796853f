package admin

import (
	"fmt"
	"strings"

	"github.com/imprintpub/imprint/internal/model"
)

// diffLine is one line of a field's difference: kept, inserted or
// deleted.
type diffLine struct {
	Op   string // "=", "+" or "-"
	Text string
}

// fieldDiff is the difference in one field between two revisions.
type fieldDiff struct {
	Name  string
	Lines []diffLine
}

// maxDiffCells bounds the line-diff table, so that two huge full texts
// cannot make one request take minutes; past it the changed middle is
// shown as deleted and inserted whole.
const maxDiffCells = 4_000_000

// diffLines returns the lines of a and b as kept, deleted and inserted, by
// a longest common subsequence after trimming the common head and tail.
func diffLines(a, b []string) []diffLine {
	var out []diffLine
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	for _, l := range a[:pre] {
		out = append(out, diffLine{"=", l})
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma)*len(mb) > maxDiffCells {
		for _, l := range ma {
			out = append(out, diffLine{"-", l})
		}
		for _, l := range mb {
			out = append(out, diffLine{"+", l})
		}
	} else {
		out = append(out, lcsDiff(ma, mb)...)
	}
	for _, l := range a[len(a)-suf:] {
		out = append(out, diffLine{"=", l})
	}
	return out
}

// lcsDiff is the textbook dynamic programme: lcs[i][j] is the length of the
// longest common subsequence of a[i:] and b[j:].
func lcsDiff(a, b []string) []diffLine {
	n, m := len(a), len(b)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []diffLine
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, diffLine{"=", a[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, diffLine{"-", a[i]})
			i++
		default:
			out = append(out, diffLine{"+", b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, diffLine{"-", a[i]})
	}
	for ; j < m; j++ {
		out = append(out, diffLine{"+", b[j]})
	}
	return out
}

// pubFields lists a publication field by field as lines of text, in the
// editor's order; the diff compares these.
func pubFields(p *model.Publication) [][2]string {
	var contribs []string
	for i, c := range p.Contributions {
		contribs = append(contribs, fmt.Sprintf("%d. %s (%s) — %s", i+1, c.Person.DisplayName(), c.Person.Slug, c.Role.Label()))
	}
	var topics, regions, rel []string
	for _, t := range p.Topics {
		topics = append(topics, t.Name+" ("+t.Slug+")")
	}
	for _, r := range p.Regions {
		regions = append(regions, r.Name+" ("+r.Slug+")")
	}
	for _, r := range p.Related {
		rel = append(rel, r.Slug)
	}
	issued := p.Issued.String()
	if f := p.Issued.Format(); f != "" && f != issued {
		issued += " (" + f + ")"
	}
	return [][2]string{
		{"Slug", p.Slug}, {"Type", p.Type.Label()}, {"Title", p.Title}, {"Subtitle", p.Subtitle},
		{"Contributors", strings.Join(contribs, "\n")}, {"Date", issued},
		{"Container title", p.Venue.ContainerTitle}, {"Volume", p.Venue.Volume}, {"Issue", p.Venue.Issue},
		{"Number", p.Venue.Number}, {"Pages", p.Venue.Pages}, {"Publisher", p.Venue.Publisher},
		{"Place", p.Venue.Place}, {"ISSN", p.Venue.ISSN}, {"ISBN", p.Venue.ISBN},
		{"DOI", p.DOI}, {"URL", p.URL}, {"Language", p.Language},
		{"Topics", strings.Join(topics, "\n")}, {"Regions", strings.Join(regions, "\n")},
		{"Related", strings.Join(rel, "\n")},
		{"Summary", p.Summary}, {"Full text", p.FullText}, {"Hosted PDF", p.FullTextPDF},
		{"Status", string(p.Status)}, {"Publish at", fmtTime(p.PublishAt)},
	}
}

// diffPublications returns the fields that differ between a and b, each
// line by line, and how many are the same.
func diffPublications(a, b *model.Publication) (changed []fieldDiff, same int) {
	fa, fb := pubFields(a), pubFields(b)
	for i := range fa {
		if fa[i][1] == fb[i][1] {
			same++
			continue
		}
		changed = append(changed, fieldDiff{Name: fa[i][0], Lines: diffLines(splitLines(fa[i][1]), splitLines(fb[i][1]))})
	}
	return changed, same
}

// splitLines splits text into lines; the empty text has none.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}
