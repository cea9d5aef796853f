-- Imprint schema, version 9: storing a related list says once, not once per
-- entry, that the site changed, and keeps the score a publication must
-- reach to enter it.
--
-- Every write of a list also writes its row in related_ranked (the store
-- upserts it with the list), whose triggers of 0007 already move the site
-- generation on; the triggers on related_lists added one more update of
-- site_changes for each entry deleted and each entry inserted, twenty for
-- a list of ten, which was most of the cost of storing every list of a
-- large catalogue. Entries that go because the publication they name is
-- deleted go with a write to publications, which says so itself.
DROP TRIGGER site_changes_related_lists_insert;
DROP TRIGGER site_changes_related_lists_update;
DROP TRIGGER site_changes_related_lists_delete;

-- floor is the lowest score on shared terms, type and date among the
-- candidates a list's ranking compared by text (store.RankedList), in
-- millionths like related_lists.score: a change to a publication that
-- shares only broad terms with this one, and scores below the floor, does
-- not need this list ranked again. Lists stored before have 0, which
-- makes any change rank them again.
ALTER TABLE related_ranked ADD COLUMN floor INTEGER NOT NULL DEFAULT 0;
