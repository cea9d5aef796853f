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
// published.
func publishDue(ctx context.Context, st store.Admin, now time.Time, log *slog.Logger) ([]int64, error) {
	ids, err := st.PublishDue(ctx, now)
	if err != nil {
		return nil, fmt.Errorf("publish due at %s: %w", now.UTC().Format(time.RFC3339), err)
	}
	lists, hasLists := st.(related.Lists)
	for _, id := range ids {
		p, err := st.Publication(ctx, id)
		if err != nil {
			// Published all the same; the record is only missing its note.
			log.ErrorContext(ctx, "scheduled publication unreadable", "publication", id, "err", err)
			continue
		}
		snap, err := snapshot(p)
		if err != nil {
			log.ErrorContext(ctx, "scheduled publication revision", "publication", id, "err", err)
			continue
		}
		note := "published as scheduled for " + fmtTime(p.PublishedAt)
		err = st.WithTx(ctx, func(tx store.Store) error {
			atx, err := adminTx(tx)
			if err != nil {
				return err
			}
			if err := atx.AddRevision(ctx, &store.Revision{PublicationID: id, UserName: schedulerName, CreatedAt: now, Note: note, Snapshot: snap}); err != nil {
				return err
			}
			return atx.AddAudit(ctx, &store.AuditEntry{At: now, UserName: schedulerName, Action: "publication.publish",
				Target: "publication:" + strconv.FormatInt(id, 10), Detail: strconv.Quote(p.Slug) + " " + note})
		})
		if err != nil {
			log.ErrorContext(ctx, "scheduled publication audit", "publication", id, "err", err)
		}
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
		log.InfoContext(ctx, "published as scheduled", "publication", id, "slug", p.Slug)
	}
	return ids, nil
}
