package auth

import (
	"fmt"

	"github.com/imprintpub/imprint/internal/model"
)

// Permission is something an account may be allowed to do in the admin.
// The roles nest: an admin may do everything an editor may, an editor
// everything a contributor may.
type Permission string

// The permissions, with the least powerful role that has each.
const (
	PermManageUsers Permission = "users.manage"        // admin: create accounts, change roles, disable
	PermViewAudit   Permission = "audit.view"          // admin: read the audit log (addresses, logins)
	PermPurge       Permission = "publication.purge"   // admin: delete from the trash for good
	PermEditAny     Permission = "publication.edit"    // editor: edit every publication, people, topics, regions
	PermPublish     Permission = "publication.publish" // editor: publish, unpublish, schedule
	PermTrash       Permission = "publication.trash"   // editor: move to the trash and restore
	PermDraft       Permission = "publication.draft"   // contributor: create drafts, edit their own, submit for review
)

// roleRank orders the roles; 0 is no role at all.
func roleRank(r model.AccountRole) int {
	switch r {
	case model.AccountAdmin:
		return 3
	case model.AccountEditor:
		return 2
	case model.AccountContributor:
		return 1
	}
	return 0
}

// minRole is the least powerful role with each permission.
var minRole = map[Permission]model.AccountRole{
	PermManageUsers: model.AccountAdmin,
	PermViewAudit:   model.AccountAdmin,
	PermPurge:       model.AccountAdmin,
	PermEditAny:     model.AccountEditor,
	PermPublish:     model.AccountEditor,
	PermTrash:       model.AccountEditor,
	PermDraft:       model.AccountContributor,
}

// Can reports whether u may do p. Nobody (nil), disabled accounts, unknown
// roles and unknown permissions may do nothing.
func Can(u *model.User, p Permission) bool {
	if u == nil || u.Disabled {
		return false
	}
	need, ok := minRole[p]
	return ok && roleRank(u.Role) >= roleRank(need)
}

// CanEdit reports whether u may edit pub: admins and editors any
// publication; contributors their own (pub.CreatedBy) while it is a draft
// or in review and not in the trash. For a publication not yet created,
// ask Can(u, PermDraft).
func CanEdit(u *model.User, pub *model.Publication) bool {
	if pub == nil || !Can(u, PermDraft) {
		return false
	}
	if Can(u, PermEditAny) {
		return true
	}
	return pub.CreatedBy != 0 && pub.CreatedBy == u.ID && pub.DeletedAt.IsZero() &&
		(pub.Status == model.StatusDraft || pub.Status == model.StatusReview)
}

// Require returns nil when u may do p and an error wrapping ErrForbidden
// otherwise, for handlers that map errors to statuses.
func Require(u *model.User, p Permission) error {
	if Can(u, p) {
		return nil
	}
	if u == nil {
		return fmt.Errorf("%w: %s needs a login", ErrForbidden, p)
	}
	return fmt.Errorf("%w: %s needs the %s role (%s is %s)", ErrForbidden, p, minRoleName(p), u.Email, roleName(u))
}

// RequireEdit is Require for CanEdit.
func RequireEdit(u *model.User, pub *model.Publication) error {
	if CanEdit(u, pub) {
		return nil
	}
	if u == nil {
		return fmt.Errorf("%w: editing needs a login", ErrForbidden)
	}
	if pub == nil {
		return fmt.Errorf("%w: no publication to edit", ErrForbidden)
	}
	return fmt.Errorf("%w: %s (%s) may not edit publication %d", ErrForbidden, u.Email, roleName(u), pub.ID)
}

func minRoleName(p Permission) string {
	if r, ok := minRole[p]; ok {
		return string(r)
	}
	return "(unknown permission)"
}

func roleName(u *model.User) string {
	if u.Disabled {
		return "disabled"
	}
	if !u.Role.Valid() {
		return fmt.Sprintf("unknown role %q", u.Role)
	}
	return string(u.Role)
}
