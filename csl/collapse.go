package csl

// collapse joins the rendered cites of a citation, grouping and collapsing
// them as the style's collapse option asks.
func (d *doc) collapse(cs *citationState, kids []*out, layout *node) *out {
	delim := layout.fmt.delimiter
	return &out{kids: kids, delim: delim, f: layout.fmt}
}
