-- Imprint schema, version 9: a related list keeps the score a publication
-- must reach to enter it, its entries' owner is checked against
-- publications, and the publications readers see have an index of their
-- own, newest first.

-- An entry's publication_id referred to related_ranked, which a rebuild
-- of a new catalogue fills from empty: PostgreSQL plans the key check once
-- per connection, for the empty table it saw, and then read the whole
-- table for every entry stored. The entries now refer to publications,
-- like related_id; the store writes the ranked row with every list, and a
-- publication's deletion takes both.
ALTER TABLE related_lists DROP CONSTRAINT related_lists_publication_id_fkey;
ALTER TABLE related_lists ADD CONSTRAINT related_lists_publication_id_fkey
	FOREIGN KEY (publication_id) REFERENCES publications (id) ON DELETE CASCADE;

-- floor is the lowest score on shared terms, type and date among the
-- candidates a list's ranking compared by text (store.RankedList), in
-- millionths like related_lists.score: a change to a publication that
-- shares only broad terms with this one, and scores below the floor, does
-- not need this list ranked again. Lists stored before have 0, which
-- makes any change rank them again.
ALTER TABLE related_ranked ADD COLUMN floor BIGINT NOT NULL DEFAULT 0;

-- What readers see, newest first, in an index of its own. PostgreSQL does
-- not take "deleted_at IS NULL" as fixing that column of
-- publications_newest, so that index could not give the order: a topic
-- listed newest first read every published publication and sorted them.
-- With this one it walks the newest and stops after a page, as SQLite
-- does with either.
CREATE INDEX publications_visible_newest ON publications (issued_sort DESC, id DESC)
	WHERE status = 'published' AND deleted_at IS NULL;
