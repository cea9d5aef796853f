// Package model holds Imprint's records — publications, people, topics and
// regions — and the rules they obey on their own, independent of storage
// and presentation. A publication has exactly one citation view, its CSL
// item (Publication.CSL), which every citation, export and metadata tag is
// derived from.
package model

import (
	"errors"
	"strings"
)

// Status is the editorial state of a publication. Only published
// publications are shown to readers.
type Status string

// The statuses a publication can be in. A contributor drafts and submits
// for review; an editor publishes now or schedules publishing at
// Publication.PublishAt, when the store's PublishDue moves it to published.
const (
	StatusDraft     Status = "draft"
	StatusReview    Status = "review"
	StatusScheduled Status = "scheduled"
	StatusPublished Status = "published"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusDraft, StatusReview, StatusScheduled, StatusPublished}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusDraft, StatusReview, StatusScheduled, StatusPublished:
		return true
	}
	return false
}

// FieldError says what is wrong with one field of a record. Field uses the
// Go field path ("Venue.Volume", "Contributions[1].Role") so that a form can
// show the message next to the input it came from.
type FieldError struct {
	Field   string
	Message string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// ValidationError collects every field error of one record, so an editor
// sees all problems at once rather than one per save.
type ValidationError struct {
	Record string // "publication \"slug\"", "person \"slug\"", …
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("invalid ")
	b.WriteString(e.Record)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Error())
	}
	return b.String()
}

// Field returns the message for the named field, or "" when it has none.
func (e *ValidationError) Field(name string) string {
	for _, f := range e.Fields {
		if f.Field == name {
			return f.Message
		}
	}
	return ""
}

// AsValidationError returns the validation error inside err, if any.
func AsValidationError(err error) (*ValidationError, bool) {
	var ve *ValidationError
	ok := errors.As(err, &ve)
	return ve, ok
}

// validator accumulates field errors for one record.
type validator struct {
	fields []FieldError
}

func (v *validator) add(field, format string) {
	v.fields = append(v.fields, FieldError{Field: field, Message: format})
}

func (v *validator) err(record string) error {
	if len(v.fields) == 0 {
		return nil
	}
	return &ValidationError{Record: record, Fields: v.fields}
}
