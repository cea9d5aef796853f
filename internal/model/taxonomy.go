package model

import "strconv"

// Topic is a subject publications are filed under. Topics form a tree
// through ParentID (0 for a top-level topic).
type Topic struct {
	ID          int64
	ParentID    int64
	Slug        string
	Name        string
	Description string // Markdown
}

// Validate reports every problem with t's fields.
func (t *Topic) Validate() error {
	var v validator
	validateTerm(&v, t.ID, t.ParentID, t.Slug, t.Name)
	return v.err("topic " + strconv.Quote(t.Slug))
}

// Region is a part of the world publications are about. Regions form a
// tree through ParentID (0 for a top-level region): Japan within East Asia
// within Asia.
type Region struct {
	ID          int64
	ParentID    int64
	Slug        string
	Name        string
	Description string // Markdown
}

// Validate reports every problem with r's fields.
func (r *Region) Validate() error {
	var v validator
	validateTerm(&v, r.ID, r.ParentID, r.Slug, r.Name)
	return v.err("region " + strconv.Quote(r.Slug))
}

func validateTerm(v *validator, id, parentID int64, slug, name string) {
	if !ValidSlug(slug) {
		v.add("Slug", "must be lower-case letters, digits and single hyphens, at most "+strconv.Itoa(MaxSlugLen)+" characters")
	}
	if name == "" {
		v.add("Name", "is required")
	}
	checkLine(v, "Name", name, 200)
	if parentID < 0 || (id != 0 && parentID == id) {
		v.add("ParentID", "must be another existing record or 0")
	}
}
