package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/imprintpub/imprint/internal/model"
)

func TestCan(t *testing.T) {
	// Each row: what the role may do, in the order of perms.
	perms := []Permission{PermManageUsers, PermViewAudit, PermPurge, PermEditAny, PermPublish, PermTrash, PermDraft}
	for _, tc := range []struct {
		name string
		u    *model.User
		want []bool
	}{
		{"admin", &model.User{ID: 1, Role: model.AccountAdmin}, []bool{true, true, true, true, true, true, true}},
		{"editor", &model.User{ID: 2, Role: model.AccountEditor}, []bool{false, false, false, true, true, true, true}},
		{"contributor", &model.User{ID: 3, Role: model.AccountContributor}, []bool{false, false, false, false, false, false, true}},
		{"disabled admin", &model.User{ID: 4, Role: model.AccountAdmin, Disabled: true}, []bool{false, false, false, false, false, false, false}},
		{"unknown role", &model.User{ID: 5, Role: "owner"}, []bool{false, false, false, false, false, false, false}},
		{"nobody", nil, []bool{false, false, false, false, false, false, false}},
	} {
		for i, p := range perms {
			if got := Can(tc.u, p); got != tc.want[i] {
				t.Errorf("Can(%s, %s) = %v, want %v", tc.name, p, got, tc.want[i])
			}
			err := Require(tc.u, p)
			if tc.want[i] != (err == nil) || (err != nil && !errors.Is(err, ErrForbidden)) {
				t.Errorf("Require(%s, %s) = %v", tc.name, p, err)
			}
		}
		if Can(tc.u, "publication.anything") {
			t.Errorf("%s may do an unknown permission", tc.name)
		}
	}
}

func TestCanEdit(t *testing.T) {
	admin := &model.User{ID: 1, Role: model.AccountAdmin}
	editor := &model.User{ID: 2, Role: model.AccountEditor}
	contrib := &model.User{ID: 3, Role: model.AccountContributor}
	other := &model.User{ID: 4, Role: model.AccountContributor}
	disabled := &model.User{ID: 3, Role: model.AccountContributor, Disabled: true}
	pub := func(status model.Status, by int64) *model.Publication {
		return &model.Publication{ID: 9, Status: status, CreatedBy: by}
	}
	trashed := pub(model.StatusDraft, 3)
	trashed.DeletedAt = time.Now()
	for _, tc := range []struct {
		name string
		u    *model.User
		p    *model.Publication
		want bool
	}{
		{"admin, someone's published", admin, pub(model.StatusPublished, 3), true},
		{"editor, imported", editor, pub(model.StatusPublished, 0), true},
		{"editor, trashed", editor, trashed, true},
		{"contributor, own draft", contrib, pub(model.StatusDraft, 3), true},
		{"contributor, own in review", contrib, pub(model.StatusReview, 3), true},
		{"contributor, own scheduled", contrib, pub(model.StatusScheduled, 3), false},
		{"contributor, own published", contrib, pub(model.StatusPublished, 3), false},
		{"contributor, own trashed", contrib, trashed, false},
		{"contributor, someone else's draft", other, pub(model.StatusDraft, 3), false},
		{"contributor, imported draft", contrib, pub(model.StatusDraft, 0), false},
		{"disabled contributor, own draft", disabled, pub(model.StatusDraft, 3), false},
		{"nobody", nil, pub(model.StatusDraft, 0), false},
		{"no publication", admin, nil, false},
	} {
		if got := CanEdit(tc.u, tc.p); got != tc.want {
			t.Errorf("CanEdit(%s) = %v, want %v", tc.name, got, tc.want)
		}
		err := RequireEdit(tc.u, tc.p)
		if tc.want != (err == nil) || (err != nil && !errors.Is(err, ErrForbidden)) {
			t.Errorf("RequireEdit(%s) = %v", tc.name, err)
		}
	}
}
