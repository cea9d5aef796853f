package admin

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/related"
	"github.com/imprintpub/imprint/internal/store"
)

// lifecycleChange runs one trash operation on the publication of the path
// in a transaction with its audit entry, keeps the related lists current
// and redirects with msg.
func (s *server) lifecycleChange(w http.ResponseWriter, r *http.Request, action, msg, target string,
	op func(tx txStore, p *model.Publication) error) {
	ctx := r.Context()
	p, ok := s.loadPublication(w, r)
	if !ok {
		return
	}
	lists, hasLists := s.store.(related.Lists)
	before := store.Terms{}
	var err error
	if hasLists {
		if before, err = related.Snapshot(ctx, lists, p.ID); err != nil {
			s.serverError(w, r, fmt.Errorf("admin: publication %d: %w", p.ID, err))
			return
		}
	}
	err = s.store.WithTx(ctx, func(tx store.Store) error {
		atx, err := adminTx(tx)
		if err != nil {
			return err
		}
		if err := op(atx, p); err != nil {
			return err
		}
		return s.addAudit(ctx, atx, r, action, p, "")
	})
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: %s publication %d: %w", action, p.ID, err))
		return
	}
	if hasLists {
		if _, err := related.Refresh(ctx, lists, p.ID, before); err != nil {
			s.log.ErrorContext(ctx, "related refresh failed", "publication", p.ID, "err", err)
		}
	}
	s.redirect(w, r, target, msg)
}

// trashPublication moves a publication to the trash: readers get 410 Gone
// until it is restored.
func (s *server) trashPublication(w http.ResponseWriter, r *http.Request) {
	s.lifecycleChange(w, r, "publication.trash", "Moved to the trash. Its public address answers 410 Gone until it is restored.",
		"/admin/publications?trash=1", func(tx txStore, p *model.Publication) error {
			return tx.TrashPublication(r.Context(), p.ID, s.now())
		})
}

// restorePublication takes a publication out of the trash as it was.
func (s *server) restorePublication(w http.ResponseWriter, r *http.Request) {
	id, _ := pubID(r)
	s.lifecycleChange(w, r, "publication.restore", "Restored from the trash.", pubPath(id),
		func(tx txStore, p *model.Publication) error {
			return tx.RestorePublication(r.Context(), p.ID)
		})
}

// purgeView is the data of the purge confirmation.
type purgeView struct {
	Pub   *model.Publication
	Error string
}

// purgeForm asks an admin to confirm deleting a trashed publication for
// good.
func (s *server) purgeForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPublication(w, r)
	if !ok {
		return
	}
	if p.DeletedAt.IsZero() {
		s.errorPage(w, r, http.StatusConflict, "Not in the trash", "Only a publication in the trash can be deleted for good. Move it to the trash first.")
		return
	}
	s.render(w, r, http.StatusOK, "publication_purge", page{Title: "Delete for good: " + p.Title, Section: "publications", Data: purgeView{Pub: p}})
}

// purgePublication deletes a trashed publication and its revisions for
// good, once the admin typed its slug to confirm.
func (s *server) purgePublication(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, ok := s.loadPublication(w, r)
	if !ok {
		return
	}
	if p.DeletedAt.IsZero() {
		s.errorPage(w, r, http.StatusConflict, "Not in the trash", "Only a publication in the trash can be deleted for good. Move it to the trash first.")
		return
	}
	if r.PostFormValue("confirm") != p.Slug {
		s.render(w, r, http.StatusUnprocessableEntity, "publication_purge", page{Title: "Delete for good: " + p.Title, Section: "publications",
			Data: purgeView{Pub: p, Error: "Type the publication's slug exactly to confirm; nothing was deleted."}})
		return
	}
	lists, hasLists := s.store.(related.Lists)
	before := store.Terms{}
	var err error
	if hasLists {
		if before, err = related.Snapshot(ctx, lists, p.ID); err != nil {
			s.serverError(w, r, fmt.Errorf("admin: publication %d: %w", p.ID, err))
			return
		}
	}
	err = s.store.WithTx(ctx, func(tx store.Store) error {
		atx, err := adminTx(tx)
		if err != nil {
			return err
		}
		if err := tx.DeletePublication(ctx, p.ID); err != nil {
			return err
		}
		return s.addAudit(ctx, atx, r, "publication.purge", p, p.Title)
	})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("admin: purge publication %d: %w", p.ID, err))
		return
	}
	if hasLists {
		// The publication is gone; its neighbours' lists may have named it.
		if _, err := related.Refresh(ctx, lists, p.ID, before); err != nil {
			s.log.ErrorContext(ctx, "related refresh failed", "publication", p.ID, "err", err)
		}
	}
	s.redirect(w, r, "/admin/publications?trash=1", fmt.Sprintf("%q was deleted for good.", p.Title))
}
