package oaipmh

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// Error codes of the protocol (OAI-PMH 2.0, section 3.6).
const (
	errBadArgument             = "badArgument"
	errBadResumptionToken      = "badResumptionToken"
	errBadVerb                 = "badVerb"
	errCannotDisseminateFormat = "cannotDisseminateFormat"
	errIDDoesNotExist          = "idDoesNotExist"
	errNoRecordsMatch          = "noRecordsMatch"
	errNoMetadataFormats       = "noMetadataFormats"
	errNoSetHierarchy          = "noSetHierarchy"
)

// protoError is an error the protocol reports in the response.
type protoError struct {
	code, msg string
}

func (e *protoError) Error() string { return e.code + ": " + e.msg }

func perr(code, format string, args ...any) *protoError {
	return &protoError{code, fmt.Sprintf(format, args...)}
}

// request is one OAI-PMH request being answered.
type request struct {
	h      *Handler
	ctx    context.Context
	now    time.Time
	args   url.Values
	base   string // the site, without /oai
	repoID string
	verb   string
	tree   *setTree // loaded once per request
}

// verbs maps each verb to its arguments: true when required, false when
// optional. resumptionToken is exclusive where it appears.
var verbs = map[string]map[string]bool{
	"Identify":            {},
	"ListMetadataFormats": {"identifier": false},
	"ListSets":            {"resumptionToken": false},
	"GetRecord":           {"identifier": true, "metadataPrefix": true},
	"ListIdentifiers":     {"metadataPrefix": true, "from": false, "until": false, "set": false, "resumptionToken": false},
	"ListRecords":         {"metadataPrefix": true, "from": false, "until": false, "set": false, "resumptionToken": false},
}

// respond returns the response document, or an error when the store
// failed and no protocol answer can be given.
func (q *request) respond() ([]byte, error) {
	var body xmlWriter
	err := q.dispatch(&body)
	var pe *protoError
	if err != nil && !errors.As(err, &pe) {
		return nil, err
	}
	var x xmlWriter
	x.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.open("OAI-PMH", "xmlns", "http://www.openarchives.org/OAI/2.0/",
		"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance",
		"xsi:schemaLocation", "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
	x.buf.WriteByte('\n')
	x.elem("responseDate", datestamp(q.now))
	// The request element echoes the arguments only when they were
	// legal (section 3.2).
	var attrs []string
	if pe == nil || (pe.code != errBadVerb && pe.code != errBadArgument) {
		attrs = append(attrs, "verb", q.verb)
		for _, k := range []string{"identifier", "metadataPrefix", "from", "until", "set", "resumptionToken"} {
			attrs = append(attrs, k, q.args.Get(k))
		}
	}
	x.open("request", attrs...)
	x.escape(q.base + "/oai")
	x.close("request")
	if pe != nil {
		x.elem("error", pe.msg, "code", pe.code)
	} else {
		x.buf.Write(body.buf.Bytes())
	}
	x.close("OAI-PMH")
	return x.buf.Bytes(), nil
}

func (q *request) dispatch(x *xmlWriter) error {
	vs := q.args["verb"]
	switch {
	case len(vs) == 0:
		return perr(errBadVerb, "the verb argument is missing")
	case len(vs) > 1:
		return perr(errBadVerb, "the verb argument is repeated")
	}
	q.verb = vs[0]
	allowed, ok := verbs[q.verb]
	if !ok {
		return perr(errBadVerb, "%q is not an OAI-PMH verb", q.verb)
	}
	keys := make([]string, 0, len(q.args))
	for k := range q.args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "verb" {
			continue
		}
		if _, ok := allowed[k]; !ok {
			return perr(errBadArgument, "%s takes no argument %q", q.verb, k)
		}
		if len(q.args[k]) > 1 {
			return perr(errBadArgument, "the argument %q is repeated", k)
		}
	}
	if q.args.Has("resumptionToken") {
		if len(q.args) > 2 {
			return perr(errBadArgument, "resumptionToken is an exclusive argument: send it with the verb only")
		}
	} else {
		for _, k := range []string{"identifier", "metadataPrefix"} {
			if allowed[k] && !q.args.Has(k) {
				return perr(errBadArgument, "%s requires the argument %q", q.verb, k)
			}
		}
	}
	// Arguments that the schema's types would refuse cannot be echoed in
	// the request element, so they are bad arguments, not unknown values.
	if v := q.args.Get("metadataPrefix"); q.args.Has("metadataPrefix") && !validSpec(v, false) {
		return perr(errBadArgument, "metadataPrefix %q has characters a metadata prefix cannot have", v)
	}
	if v := q.args.Get("set"); q.args.Has("set") && !validSpec(v, true) {
		return perr(errBadArgument, "set %q is not a setSpec (segments of letters, digits and -_.!~*'() joined by colons)", v)
	}
	if v := q.args.Get("identifier"); q.args.Has("identifier") && (v == "" || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f })) {
		return perr(errBadArgument, "identifier %q is not a URI", v)
	}
	switch q.verb {
	case "Identify":
		return q.identify(x)
	case "ListMetadataFormats":
		return q.listMetadataFormats(x)
	case "ListSets":
		return q.listSets(x)
	case "GetRecord":
		return q.getRecord(x)
	default:
		return q.list(x)
	}
}

func (q *request) identify(x *xmlWriter) error {
	earliest, err := q.h.store.EarliestDatestamp(q.ctx)
	if err != nil {
		return fmt.Errorf("oaipmh: Identify: %w", err)
	}
	if earliest.IsZero() {
		earliest = q.now
	}
	x.open("Identify")
	x.elem("repositoryName", q.h.cfg.RepositoryName)
	x.elem("baseURL", q.base+"/oai")
	x.elem("protocolVersion", "2.0")
	x.elem("adminEmail", q.h.cfg.AdminEmail)
	x.elem("earliestDatestamp", datestamp(earliest))
	// Tombstones are never purged, so deletions are reported for good.
	x.elem("deletedRecord", "persistent")
	x.elem("granularity", "YYYY-MM-DDThh:mm:ssZ")
	x.close("Identify")
	return nil
}

func (q *request) listMetadataFormats(x *xmlWriter) error {
	if id := q.args.Get("identifier"); q.args.Has("identifier") {
		p, t, err := q.lookup(id)
		if err != nil {
			return err
		}
		if p == nil && t != nil {
			return perr(errNoMetadataFormats, "%s was deleted: no metadata is disseminated for it", id)
		}
	}
	x.open("ListMetadataFormats")
	for _, f := range formats {
		x.open("metadataFormat")
		x.elem("metadataPrefix", f.prefix)
		schema := f.schema
		if schema == "" {
			schema = q.base + "/oai/" + cslSchemaFile
		}
		x.elem("schema", schema)
		x.elem("metadataNamespace", f.namespace)
		x.close("metadataFormat")
	}
	x.close("ListMetadataFormats")
	return nil
}

func (q *request) listSets(x *xmlWriter) error {
	if q.h.cfg.NoSets {
		return perr(errNoSetHierarchy, "this repository does not support sets")
	}
	if q.args.Has("resumptionToken") {
		return perr(errBadResumptionToken, "ListSets answers in one response and issues no resumption tokens")
	}
	tree, err := q.sets()
	if err != nil {
		return err
	}
	x.open("ListSets")
	for _, s := range tree.list {
		x.open("set")
		x.elem("setSpec", s.spec)
		x.elem("setName", s.name)
		x.close("set")
	}
	x.close("ListSets")
	return nil
}

// lookup finds the publication or tombstone an identifier names;
// idDoesNotExist when there is neither.
func (q *request) lookup(id string) (*model.Publication, *store.Tombstone, error) {
	slug, ok := strings.CutPrefix(id, "oai:"+q.repoID+":")
	if !ok || slug == "" {
		return nil, nil, perr(errIDDoesNotExist, "%q is not an identifier of this repository (oai:%s:<slug>)", id, q.repoID)
	}
	p, err := q.h.store.PublicationBySlug(q.ctx, slug)
	switch {
	case err == nil && p.IsPublished():
		return p, nil, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, nil, fmt.Errorf("oaipmh: %s: %w", id, err)
	}
	t, err := q.h.store.Tombstone(q.ctx, slug)
	switch {
	case err == nil:
		return nil, t, nil
	case errors.Is(err, store.ErrNotFound):
		return nil, nil, perr(errIDDoesNotExist, "no record %q", id)
	}
	return nil, nil, fmt.Errorf("oaipmh: %s: %w", id, err)
}

func (q *request) getRecord(x *xmlWriter) error {
	prefix := q.args.Get("metadataPrefix")
	f := formatByPrefix(prefix)
	if f == nil {
		return perr(errCannotDisseminateFormat, "unknown metadataPrefix %q: see ListMetadataFormats", prefix)
	}
	p, t, err := q.lookup(q.args.Get("identifier"))
	if err != nil {
		return err
	}
	tree, err := q.sets()
	if err != nil {
		return err
	}
	x.open("GetRecord")
	q.record(x, f, tree, store.HarvestItem{Publication: p, Tombstone: t})
	x.close("GetRecord")
	return nil
}

// validSpec reports whether s matches the schema's metadataPrefixType or,
// with colons, its setSpecType.
func validSpec(s string, colons bool) bool {
	if s == "" {
		return false
	}
	if colons {
		for _, part := range strings.Split(s, ":") {
			if !validSpec(part, false) {
				return false
			}
		}
		return true
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.!~*'()", r)) {
			return false
		}
	}
	return true
}
