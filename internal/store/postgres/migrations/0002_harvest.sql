-- Imprint schema, version 2, for PostgreSQL: the same as SQLite's version
-- 2. Published publications are listed for harvesting by updated_at, and a
-- publication that was published and then deleted, unpublished or moved to
-- another slug leaves a tombstone under its old slug. topics and regions
-- hold the slugs it was filed under, each between spaces, so that a set can
-- match them with LIKE. publication_id is no foreign key: the publication
-- it names is usually gone.

CREATE INDEX publications_changed ON publications (status, updated_at, slug);

CREATE TABLE publication_tombstones (
	slug TEXT COLLATE "C" PRIMARY KEY,
	publication_id BIGINT NOT NULL,
	type TEXT COLLATE "C" NOT NULL,
	topics TEXT COLLATE "C" NOT NULL DEFAULT '',
	regions TEXT COLLATE "C" NOT NULL DEFAULT '',
	deleted_at BIGINT NOT NULL
);
CREATE INDEX publication_tombstones_deleted ON publication_tombstones (deleted_at, slug);
