-- Imprint schema, version 8: the search index is brought up to date once
-- per write transaction instead of once per row written.
--
-- FTS5 writes what it has buffered to disk as a new segment at the start
-- of every statement that may need undoing, which is every statement a
-- trigger rewrites the index from; the triggers of 0003 rewrote a
-- publication's row once for the publication and once more for each of
-- its contributors, so that saving a batch of publications wrote
-- thousands of one-row segments and spent most of its time merging them.
-- The triggers now only note which publications changed, in
-- publication_search_pending, inside the same transaction; the store
-- re-indexes the noted publications with one statement just before the
-- transaction commits (sqlstore.Dialect.BeforeCommit), so a rolled-back
-- write still leaves no trace and no write path can forget the index.
--
-- The table is made again with prefix indexes of two and three
-- characters, so that a prefix query ("sanc*") reads one prefix's
-- doclist instead of merging those of every word that starts with it,
-- and with a sixth column, facets, that holds one token per filter a
-- reader can search by: the type ("ty" and the type without hyphens, then
-- 0, so that the stemmer leaves it whole), each topic ("to" and its id),
-- each region ("re" and its id) and each contributor ("pe" and the
-- person's id). A filtered search is then one match of the index, the
-- words in the five text columns and the filters in facets, instead of
-- a test of each match of a common word against the filters' tables.

CREATE TABLE publication_search_pending (
	publication_id INTEGER PRIMARY KEY
);

DROP TRIGGER publication_search_insert;
DROP TRIGGER publication_search_update;
DROP TRIGGER publication_search_delete;
DROP TRIGGER publication_search_contribution_insert;
DROP TRIGGER publication_search_contribution_delete;
DROP TRIGGER publication_search_contribution_update;
DROP TRIGGER publication_search_person;

DROP VIEW publication_search_source;
CREATE VIEW publication_search_source AS
SELECT p.id, p.title, p.subtitle,
	COALESCE((SELECT group_concat(trim(pe.given || ' ' || pe.dropping_particle || ' ' || pe.non_dropping_particle || ' ' ||
		pe.family || ' ' || pe.suffix || ' ' || pe.literal), ' ')
		FROM contributions c JOIN people pe ON pe.id = c.person_id WHERE c.publication_id = p.id), '') AS contributors,
	p.summary, p.full_text AS body, p.language,
	'ty' || replace(p.type, '-', '') || '0'
		|| COALESCE((SELECT group_concat(' to' || ft.topic_id, '') FROM publication_topics ft WHERE ft.publication_id = p.id), '')
		|| COALESCE((SELECT group_concat(' re' || fr.region_id, '') FROM publication_regions fr WHERE fr.publication_id = p.id), '')
		|| COALESCE((SELECT group_concat(' pe' || fc.person_id, '') FROM contributions fc WHERE fc.publication_id = p.id), '')
		AS facets
FROM publications p
WHERE p.status = 'published' AND p.deleted_at IS NULL;

DROP TABLE publication_search;
CREATE VIRTUAL TABLE publication_search USING fts5(
	title, subtitle, contributors, summary, body, facets,
	tokenize = 'porter unicode61 remove_diacritics 2',
	prefix = '2 3'
);
INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body, facets)
SELECT id, title, subtitle, contributors, summary, body, facets FROM publication_search_source;
INSERT INTO publication_search (publication_search) VALUES ('optimize');

CREATE TRIGGER publication_search_insert AFTER INSERT ON publications BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (NEW.id);
END;

-- Saving a publication rewrites every column; the text is indexed again
-- only when it or whether readers may see it changed.
CREATE TRIGGER publication_search_update AFTER UPDATE ON publications
WHEN OLD.title IS NOT NEW.title OR OLD.subtitle IS NOT NEW.subtitle OR OLD.summary IS NOT NEW.summary
	OR OLD.full_text IS NOT NEW.full_text OR OLD.id IS NOT NEW.id OR OLD.type IS NOT NEW.type
	OR OLD.status IS NOT NEW.status OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (OLD.id), (NEW.id);
END;

CREATE TRIGGER publication_search_delete AFTER DELETE ON publications BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (OLD.id);
END;

CREATE TRIGGER publication_search_contribution_insert AFTER INSERT ON contributions BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (NEW.publication_id);
END;

CREATE TRIGGER publication_search_contribution_delete AFTER DELETE ON contributions BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (OLD.publication_id);
END;

CREATE TRIGGER publication_search_contribution_update AFTER UPDATE ON contributions BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (OLD.publication_id), (NEW.publication_id);
END;

CREATE TRIGGER publication_search_person AFTER UPDATE ON people
WHEN OLD.given IS NOT NEW.given OR OLD.family IS NOT NEW.family OR OLD.literal IS NOT NEW.literal
	OR OLD.dropping_particle IS NOT NEW.dropping_particle OR OLD.non_dropping_particle IS NOT NEW.non_dropping_particle
	OR OLD.suffix IS NOT NEW.suffix
BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id)
	SELECT publication_id FROM contributions WHERE person_id = NEW.id;
END;

CREATE TRIGGER publication_search_topic_insert AFTER INSERT ON publication_topics BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (NEW.publication_id);
END;

CREATE TRIGGER publication_search_topic_delete AFTER DELETE ON publication_topics BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (OLD.publication_id);
END;

CREATE TRIGGER publication_search_topic_update AFTER UPDATE ON publication_topics BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (OLD.publication_id), (NEW.publication_id);
END;

CREATE TRIGGER publication_search_region_insert AFTER INSERT ON publication_regions BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (NEW.publication_id);
END;

CREATE TRIGGER publication_search_region_delete AFTER DELETE ON publication_regions BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (OLD.publication_id);
END;

CREATE TRIGGER publication_search_region_update AFTER UPDATE ON publication_regions BEGIN
	INSERT OR IGNORE INTO publication_search_pending (publication_id) VALUES (OLD.publication_id), (NEW.publication_id);
END;
