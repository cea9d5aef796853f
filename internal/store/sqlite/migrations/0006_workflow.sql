-- Imprint schema, version 6: the editors' workflow.
--
-- A publication moves draft → review → scheduled → published. A scheduled
-- one goes live at publish_at (the store's PublishDue). deleted_at is set
-- while it is in the trash: a soft delete that keeps every row and link, so
-- that a restore brings it back as it was. created_by is the account that
-- created it (NULL for imports and seeds) and full_text_pdf the upload key
-- of a hosted PDF. People gain an ORCID iD, unique when present, and the
-- upload key of a photo.
--
-- revisions keep every saved state of a publication (a JSON snapshot) and
-- go with it when it is purged. audit_log records who did what; it is only
-- ever added to. Their user_id is no foreign key: both outlive any account
-- and keep the name the account had (user_name), and NULL stands for the
-- command line or an import.
--
-- The CHECK on publications.status must admit the two new statuses.
-- SQLite cannot alter a CHECK, and the 12-step rebuild of the table cannot
-- run here: migrations run in a transaction with foreign keys enforced, in
-- which dropping publications would cascade to every link table. So the
-- table's stored CREATE statement is edited in place, as SQLite documents
-- for changes that leave the stored data valid ("Making Other Kinds Of
-- Table Schema Changes", https://sqlite.org/lang_altertable.html): every
-- row already holds 'draft' or 'published'. writable_schema = RESET reloads
-- this connection's schema; the DDL that follows changes the schema
-- cookie, so that every other connection reloads it too. The check after
-- the edit fails the migration if the statement did not hold the expected
-- text, rather than leaving the old CHECK in place.

PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (status IN (''draft'', ''published''))',
	'CHECK (status IN (''draft'', ''review'', ''scheduled'', ''published''))')
WHERE type = 'table' AND name = 'publications';
PRAGMA writable_schema = RESET;

CREATE TEMP TABLE migration_0006_check (edited INTEGER NOT NULL CHECK (edited = 1));
INSERT INTO migration_0006_check
SELECT COUNT(*) FROM sqlite_schema
WHERE type = 'table' AND name = 'publications'
	AND instr(sql, 'CHECK (status IN (''draft'', ''review'', ''scheduled'', ''published''))') > 0;
DROP TABLE migration_0006_check;

ALTER TABLE publications ADD COLUMN publish_at INTEGER;
ALTER TABLE publications ADD COLUMN deleted_at INTEGER;
ALTER TABLE publications ADD COLUMN created_by INTEGER;
ALTER TABLE publications ADD COLUMN full_text_pdf TEXT NOT NULL DEFAULT '';
-- Every public list and harvest asks for status 'published' and
-- deleted_at IS NULL: the indexes that serve them gain deleted_at after
-- status, so that a page and its count still read one range of an index.
DROP INDEX publications_newest;
CREATE INDEX publications_newest ON publications (status, deleted_at, issued_sort DESC, id DESC);
DROP INDEX publications_type_newest;
CREATE INDEX publications_type_newest ON publications (type, status, deleted_at, issued_sort DESC, id DESC);
DROP INDEX publications_changed;
CREATE INDEX publications_changed ON publications (status, deleted_at, updated_at, slug);
-- PublishDue looks for scheduled publications that are due; the admin
-- lists a contributor's own publications.
CREATE INDEX publications_due ON publications (status, publish_at);
-- The admin's lists (the trash, or everything outside it, newest first)
-- read publications_admin in order; with the title and subtitle in it, a
-- title filter, which no index can answer, reads the index rather than
-- every whole row.
CREATE INDEX publications_admin ON publications (deleted_at, issued_sort DESC, id DESC, title, subtitle);
CREATE INDEX publications_created_by ON publications (created_by);

ALTER TABLE people ADD COLUMN orcid TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN photo TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX people_orcid ON people (orcid) WHERE orcid <> '';

CREATE TABLE revisions (
	id INTEGER PRIMARY KEY,
	publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	user_id INTEGER,
	user_name TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	snapshot TEXT NOT NULL
);
CREATE INDEX revisions_publication ON revisions (publication_id, created_at, id);

CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	user_id INTEGER,
	user_name TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	target TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT ''
);
-- One index per AuditQuery filter, each ending in id so that a page,
-- newest first and below a Before cursor, is a range of it.
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_target ON audit_log (target, id);

-- Search (0003) indexes only what readers may find: published
-- publications outside the trash. The text is indexed again when a
-- publication is published, unpublished, trashed or restored; drafts
-- indexed before this version leave the index.
DROP VIEW publication_search_source;
CREATE VIEW publication_search_source AS
SELECT p.id, p.title, p.subtitle,
	COALESCE((SELECT group_concat(trim(pe.given || ' ' || pe.dropping_particle || ' ' || pe.non_dropping_particle || ' ' ||
		pe.family || ' ' || pe.suffix || ' ' || pe.literal), ' ')
		FROM contributions c JOIN people pe ON pe.id = c.person_id WHERE c.publication_id = p.id), '') AS contributors,
	p.summary, p.full_text AS body, p.language
FROM publications p
WHERE p.status = 'published' AND p.deleted_at IS NULL;

DELETE FROM publication_search WHERE rowid IN (SELECT id FROM publications WHERE status <> 'published');

DROP TRIGGER publication_search_update;
CREATE TRIGGER publication_search_update AFTER UPDATE ON publications
WHEN OLD.title IS NOT NEW.title OR OLD.subtitle IS NOT NEW.subtitle OR OLD.summary IS NOT NEW.summary
	OR OLD.full_text IS NOT NEW.full_text OR OLD.id IS NOT NEW.id
	OR OLD.status IS NOT NEW.status OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
	DELETE FROM publication_search WHERE rowid = OLD.id;
	INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body)
	SELECT id, title, subtitle, contributors, summary, body FROM publication_search_source WHERE id = NEW.id;
END;
