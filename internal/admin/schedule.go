package admin

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/imprintpub/imprint/internal/related"
	"github.com/imprintpub/imprint/internal/store"
)

// schedulerName is how the audit log and revisions name the scheduler.
const schedulerName = "scheduler"

// RunScheduler publishes scheduled publications when their time comes: it
// calls PublishDue every interval until ctx ends, then returns ctx's error.
// Each publication it publishes gets a revision and an audit entry
// "publication.publish" by the scheduler, and its related lists are
// refreshed. PublishDue is one statement, so several app servers may run
// this at once and each publication is published once. A failed round is
// logged and retried at the next tick.
func RunScheduler(ctx context.Context, st store.Admin, every time.Duration, log *slog.Logger) error {
	if every <= 0 {
		return fmt.Errorf("admin: scheduler interval %v is not positive", every)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := publishDue(ctx, st, time.Now(), log); err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "scheduled publishing failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// publishDue runs one round of the scheduler at now and returns the IDs it
// published. The publishing, each revision and each audit entry commit
// together, so a crash leaves either all of them or none.
func publishDue(ctx context.Context, st store.Admin, now time.Time, log *slog.Logger) ([]int64, error) {
	var ids []int64
	var slugs []string
	err := st.WithTx(ctx, func(tx store.Store) error {
		atx, err := adminTx(tx)
		if err != nil {
			return err
		}
		ids, slugs = nil, nil // a retried transaction starts again
		if ids, err = atx.PublishDue(ctx, now); err != nil {
			return err
		}
		for _, id := range ids {
			p, err := atx.Publication(ctx, id)
			if err != nil {
				return fmt.Errorf("read publication %d: %w", id, err)
			}
			snap, err := snapshot(p)
			if err != nil {
				return fmt.Errorf("revision of publication %d: %w", id, err)
			}
			note := "published as scheduled for " + fmtTime(p.PublishedAt)
			if err := atx.AddRevision(ctx, &store.Revision{PublicationID: id, UserName: schedulerName, CreatedAt: now, Note: note, Snapshot: snap}); err != nil {
				return err
			}
			if err := atx.AddAudit(ctx, &store.AuditEntry{At: now, UserName: schedulerName, Action: "publication.publish",
				Target: "publication:" + strconv.FormatInt(id, 10), Detail: strconv.Quote(p.Slug) + " " + note}); err != nil {
				return err
			}
			slugs = append(slugs, p.Slug)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("publish due at %s: %w", now.UTC().Format(time.RFC3339), err)
	}
	lists, hasLists := st.(related.Lists)
	for i, id := range ids {
		if hasLists {
			// Publishing changes no terms: the terms now are the terms before.
			terms, err := related.Snapshot(ctx, lists, id)
			if err == nil {
				_, err = related.Refresh(ctx, lists, id, terms)
			}
			if err != nil {
				log.ErrorContext(ctx, "related refresh failed", "publication", id, "err", err)
			}
		}
		log.InfoContext(ctx, "published as scheduled", "publication", id, "slug", slugs[i])
	}
	return ids, nil
}
