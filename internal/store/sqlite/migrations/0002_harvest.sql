-- Imprint schema, version 2: what metadata harvesting (OAI-PMH) needs.
-- A harvester asks for what changed since its last visit, so published
-- publications are listed by updated_at, and a publication that was
-- published and then deleted, unpublished or moved to another slug leaves a
-- tombstone under its old slug, so that harvesters learn it is gone.
-- topics and regions hold the slugs it was filed under, each between
-- spaces (" alliances security "), so that a set can match them with LIKE.

CREATE INDEX publications_changed ON publications (status, updated_at, slug);

CREATE TABLE publication_tombstones (
	slug TEXT PRIMARY KEY,
	publication_id INTEGER NOT NULL,
	type TEXT NOT NULL,
	topics TEXT NOT NULL DEFAULT '',
	regions TEXT NOT NULL DEFAULT '',
	deleted_at INTEGER NOT NULL
);
CREATE INDEX publication_tombstones_deleted ON publication_tombstones (deleted_at, slug);
