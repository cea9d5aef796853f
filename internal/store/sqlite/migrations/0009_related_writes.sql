-- Imprint schema, version 9: a related list keeps the score a publication
-- must reach to enter it, its entries' owner is checked against
-- publications, and the publications readers see have an index of their
-- own, newest first.

-- An entry's publication_id referred to related_ranked, which a rebuild
-- of a new catalogue fills from empty: PostgreSQL plans the key check once
-- per connection, for the empty table it saw, and then read the whole
-- table for every entry stored. The entries now refer to publications,
-- like related_id; the store writes the ranked row with every list, and a
-- publication's deletion takes both. SQLite cannot change a key in place,
-- so the table is made again, in the same shape on both engines.
CREATE TABLE related_lists_new (
	publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	rank INTEGER NOT NULL,
	related_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	score INTEGER NOT NULL,
	reasons TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (publication_id, rank)
);
INSERT INTO related_lists_new (publication_id, rank, related_id, score, reasons)
	SELECT publication_id, rank, related_id, score, reasons FROM related_lists;
DROP TABLE related_lists;
ALTER TABLE related_lists_new RENAME TO related_lists;
CREATE INDEX related_lists_related ON related_lists (related_id);
-- The table's triggers went with it (see 0007_changes.sql).
CREATE TRIGGER site_changes_related_lists_insert AFTER INSERT ON related_lists BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_related_lists_update AFTER UPDATE ON related_lists BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_related_lists_delete AFTER DELETE ON related_lists BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;

-- floor is the lowest score on shared terms, type and date among the
-- candidates a list's ranking compared by text (store.RankedList), in
-- millionths like related_lists.score: a change to a publication that
-- shares only broad terms with this one, and scores below the floor, does
-- not need this list ranked again. Lists stored before have 0, which
-- makes any change rank them again.
ALTER TABLE related_ranked ADD COLUMN floor INTEGER NOT NULL DEFAULT 0;

-- What readers see, newest first, in an index of its own. PostgreSQL does
-- not take "deleted_at IS NULL" as fixing that column of
-- publications_newest, so that index could not give the order: a topic
-- listed newest first read every published publication and sorted them.
-- With this one it walks the newest and stops after a page, as SQLite
-- does with either.
CREATE INDEX publications_visible_newest ON publications (issued_sort DESC, id DESC)
	WHERE status = 'published' AND deleted_at IS NULL;
