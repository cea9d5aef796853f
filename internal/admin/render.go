package admin

import (
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/auth"
	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/pages"
)

//go:embed templates/*.html
var templateFS embed.FS

// shared holds the templates every page is parsed with: the layout and the
// form partials.
var shared = []string{"templates/layout.html", "templates/forms.html"}

// requiredTemplates are the pages this file's handlers render by name; a
// missing one stops New.
var requiredTemplates = []string{"error", "login", "dashboard", "publications", "publication_edit", "publication_purge", "revisions", "revision_diff"}

// funcs are the helpers templates may call.
var funcs = template.FuncMap{
	// errorFor returns the message for one field of a form, "" when it has
	// none.
	"errorFor": func(errs formErrors, field string) string { return errs[field] },
	"fmtTime":  fmtTime,
	"fmtDate":  func(d model.Date) string { return d.Format() },
	"typeLabel": func(t model.Type) string {
		return t.Label()
	},
	"add":       func(a, b int) int { return a + b },
	"hasPrefix": strings.HasPrefix,
	// hasErrorPrefix reports whether any field under prefix has an error
	// ("Related" for "Related[2]").
	"hasErrorPrefix": func(errs formErrors, prefix string) bool {
		for k := range errs {
			if strings.HasPrefix(k, prefix) {
				return true
			}
		}
		return false
	},
	"fieldLabel": fieldLabel,
	"treeOf":     func(name string, nodes []*treeNode) treeView { return treeView{Name: name, Nodes: nodes} },
	"venueField": func(errs formErrors, name, label, field, value string) inputView {
		return inputView{Name: name, Label: label, Value: value, Err: errs[field]}
	},
	"sub": func(a, b int) int { return a - b },
	// csrfFieldName is the name of the hidden field the CSRF token travels
	// in, so that templates do not spell it.
	"csrfFieldName": func() string { return auth.CSRFField },
	// can reports whether u holds the permission named by its Go constant
	// ("PermPublish"), so that pages offer only what the server allows.
	"can": func(u *model.User, name string) bool {
		p, ok := permissionNames[name]
		return ok && u != nil && auth.Can(u, p)
	},
}

// permissionNames are the permissions templates may ask about.
var permissionNames = map[string]auth.Permission{
	"PermManageUsers": auth.PermManageUsers,
	"PermEditAny":     auth.PermEditAny,
	"PermPublish":     auth.PermPublish,
	"PermDraft":       auth.PermDraft,
	"PermTrash":       auth.PermTrash,
	"PermPurge":       auth.PermPurge,
	"PermViewAudit":   auth.PermViewAudit,
}

// fmtTime writes a time in the site's time zone (UTC) to the minute; the
// zero time is "".
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// parseTemplates parses the pages with the shared templates once, at
// start-up (see pages.ParseTemplates).
func parseTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	return pages.ParseTemplates(fsys, shared, funcs, requiredTemplates)
}

// page is what the layout receives; Data is the page's own view. render
// fills User, CSRF, Flash and the site fields.
type page struct {
	Title string
	// Section marks the current item of the navigation: "dashboard",
	// "publications", "people", "topics", "regions", "users", "audit".
	Section string
	Data    any

	User         *model.User
	CSRF         string // the token for the hidden field of every form
	Flash        string // the message of the previous POST, shown once
	SiteName     string
	SiteURL      string
	AssetVersion string
}

// render executes a page template into a buffer first, so that a template
// error becomes a clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := s.templates[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("template %q does not exist", name))
		return
	}
	p.User = auth.CurrentUser(r.Context())
	p.CSRF = s.auth.CSRFToken(w, r)
	p.Flash = takeFlash(w, r)
	p.SiteName = s.siteName
	p.SiteURL = s.baseURL + "/"
	p.AssetVersion = assetVersion
	if err := pages.Render(w, t, status, p); err != nil {
		s.serverError(w, r, fmt.Errorf("render %s: %w", name, err))
	}
}

// errorView is the data of the error page.
type errorView struct {
	Heading string
	Message string
}

// errorPage answers with a short page saying what went wrong and what to
// do; message is plain text.
func (s *server) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	s.render(w, r, status, "error", page{Title: heading, Data: errorView{Heading: heading, Message: message}})
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "Not found", "There is nothing at this address in the admin.")
}

func (s *server) forbidden(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusForbidden, "Not allowed", "Your account's role does not allow this. Ask an editor or an administrator.")
}

func (s *server) badRequest(w http.ResponseWriter, r *http.Request, message string) {
	s.errorPage(w, r, http.StatusBadRequest, "Bad request", message)
}

func (s *server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "admin request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	// The error page template itself may be what failed, so this page is
	// written by hand and carries no details of the failure.
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprint(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Server error</title>`+
		`<link rel="stylesheet" href="/admin/static/admin.css"></head><body><main id="main"><h1>Something went wrong</h1>`+
		`<p>The request could not be completed; nothing was half-saved. Please try again.</p><p><a href="/admin/">Back to the dashboard</a></p></main></body></html>`)
}

// flashCookie carries the message of a successful POST to the page it
// redirects to (Post/Redirect/Get).
const flashCookie = "imprint_admin_flash"

// redirect answers a successful POST with 303 See Other to target and
// leaves msg for the next page to show.
func (s *server) redirect(w http.ResponseWriter, r *http.Request, target, msg string) {
	if msg != "" {
		http.SetCookie(w, &http.Cookie{
			Name:     flashCookie,
			Value:    base64.RawURLEncoding.EncodeToString([]byte(msg)),
			Path:     "/admin/",
			MaxAge:   60,
			HttpOnly: true,
			Secure:   r.TLS != nil,
			SameSite: http.SameSiteLaxMode,
		})
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// takeFlash returns the pending message and clears it, so that it shows
// once.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/admin/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(b) > 500 {
		return ""
	}
	return string(b)
}

// formErrors maps a field path as model.FieldError names it
// ("Venue.Volume", "Contributions[1].Role") to its message, so that a form
// shows each next to its input.
type formErrors map[string]string

// fieldErrors returns the field errors inside err, or false when err is
// not a validation error.
func fieldErrors(err error) (formErrors, bool) {
	ve, ok := model.AsValidationError(err)
	if !ok {
		return nil, false
	}
	errs := formErrors{}
	for _, f := range ve.Fields {
		if errs[f.Field] == "" {
			errs[f.Field] = f.Message
		} else {
			errs[f.Field] += "; " + f.Message
		}
	}
	return errs, true
}

// add records a message for field, keeping any earlier one.
func (e formErrors) add(field, msg string) {
	if e[field] == "" {
		e[field] = msg
	} else {
		e[field] += "; " + msg
	}
}

// treeView is a checkbox tree with the name its boxes send.
type treeView struct {
	Name  string
	Nodes []*treeNode
}

// inputView is one text input with its label and error.
type inputView struct {
	Name, Label, Value, Err string
}

// fieldLabels name the fields of the admin's forms as their labels do, for
// the list of problems above a form.
var fieldLabels = map[string]string{
	"Issued": "Date", "Venue.ContainerTitle": "Container title", "Venue.Volume": "Volume", "Venue.Issue": "Issue",
	"Venue.Number": "Number", "Venue.Pages": "Pages", "Venue.Publisher": "Publisher", "Venue.Place": "Place",
	"Venue.ISSN": "ISSN", "Venue.ISBN": "ISBN", "FullText": "Full text", "FullTextPDF": "Hosted PDF",
	"PublishAt": "Schedule at", "Version": "Version", "Related": "Related publications",
	"Given": "Given name", "Family": "Family name", "Literal": "Organization name", "RoleLine": "Role line",
	"DroppingParticle": "Dropping particle", "NonDroppingParticle": "Non-dropping particle", "ParentID": "Parent",
	"Email": "E-mail address", "PasswordHash": "Password", "Person": "person", "Role": "role",
}

// indexedField matches a path into a list: "Contributions[1].Role".
var indexedField = regexp.MustCompile(`^(Contributions|Topics|Regions|Related)\[(\d+)\](?:\.(\w+))?$`)

// fieldLabel turns a model field path into words: "Venue.ISSN" → "ISSN",
// "Contributions[1].Role" → "Contributor 2: role". An unknown path is
// shown as it is.
func fieldLabel(path string) string {
	if l, ok := fieldLabels[path]; ok {
		return l
	}
	m := indexedField.FindStringSubmatch(path)
	if m == nil {
		return path
	}
	n, _ := strconv.Atoi(m[2])
	noun := map[string]string{"Contributions": "Contributor", "Topics": "Topic", "Regions": "Region", "Related": "Related publication"}[m[1]]
	out := noun + " " + strconv.Itoa(n+1)
	if m[3] != "" {
		part := fieldLabels[m[3]]
		if part == "" {
			part = m[3]
		}
		out += ": " + strings.ToLower(part[:1]) + part[1:]
	}
	return out
}
