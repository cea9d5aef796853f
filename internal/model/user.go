package model

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// AccountRole is what an account may do in the admin.
type AccountRole string

// The account roles, from most to least powerful.
const (
	// AccountAdmin manages users and settings and may do everything an
	// editor may.
	AccountAdmin AccountRole = "admin"
	// AccountEditor edits all content and publishes.
	AccountEditor AccountRole = "editor"
	// AccountContributor drafts publications of their own and submits
	// them for review.
	AccountContributor AccountRole = "contributor"
)

// AccountRoles lists the roles from most to least powerful.
var AccountRoles = []AccountRole{AccountAdmin, AccountEditor, AccountContributor}

// Valid reports whether r is a known role.
func (r AccountRole) Valid() bool {
	return r == AccountAdmin || r == AccountEditor || r == AccountContributor
}

// User is an account of the editors' admin.
type User struct {
	ID    int64
	Email string // unique, stored lower-cased
	Name  string // shown in the admin, revisions and the audit log
	Role  AccountRole
	// PasswordHash is an argon2id hash in PHC string form
	// ("$argon2id$v=19$m=…,t=…,p=…$salt$hash"); never the password.
	PasswordHash string
	// Disabled accounts cannot log in; their sessions are ended.
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NormalizeEmail lower-cases an address and trims the space around it, so
// that one mailbox is one account.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate reports every problem with u as a *ValidationError.
func (u *User) Validate() error {
	var v validator
	if u.Email == "" {
		v.add("Email", "is required")
	} else if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || a.Name != "" {
		v.add("Email", "must be a bare e-mail address such as \"editor@example.org\"")
	} else if u.Email != NormalizeEmail(u.Email) {
		v.add("Email", "must be lower-case")
	}
	checkLine(&v, "Name", u.Name, 200)
	if !u.Role.Valid() {
		v.add("Role", "must be \"admin\", \"editor\" or \"contributor\"")
	}
	if !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		v.add("PasswordHash", "must be an argon2id hash")
	}
	return v.err("user " + strconv.Quote(u.Email))
}
