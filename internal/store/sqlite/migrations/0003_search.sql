-- Imprint schema, version 3: full-text search (internal/search).
-- publication_search is an FTS5 table whose rowid is the publication's id,
-- with one column per field in ranking order of importance as
-- internal/search weighs them. It keeps its own copy of the text rather
-- than reading publications as external content: contributor names come
-- from other tables, and an external-content table must be told the old
-- text of a row to delete it, which a trigger on contributions cannot know.
-- Triggers keep it current inside the transaction of every write to
-- publications, contributions and people, so that no code path that writes
-- a publication can forget it and a rolled-back write leaves no trace.
-- The porter stemmer lets "sanction" find "sanctions", as PostgreSQL's
-- english configuration does.

CREATE VIEW publication_search_source AS
SELECT p.id, p.title, p.subtitle,
	COALESCE((SELECT group_concat(trim(pe.given || ' ' || pe.dropping_particle || ' ' || pe.non_dropping_particle || ' ' ||
		pe.family || ' ' || pe.suffix || ' ' || pe.literal), ' ')
		FROM contributions c JOIN people pe ON pe.id = c.person_id WHERE c.publication_id = p.id), '') AS contributors,
	p.summary, p.full_text AS body, p.language
FROM publications p;

CREATE VIRTUAL TABLE publication_search USING fts5(
	title, subtitle, contributors, summary, body,
	tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body)
SELECT id, title, subtitle, contributors, summary, body FROM publication_search_source;

CREATE TRIGGER publication_search_insert AFTER INSERT ON publications BEGIN
	INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body)
	SELECT id, title, subtitle, contributors, summary, body FROM publication_search_source WHERE id = NEW.id;
END;

-- Saving a publication rewrites every column; the text is indexed again
-- only when it changed.
CREATE TRIGGER publication_search_update AFTER UPDATE ON publications
WHEN OLD.title IS NOT NEW.title OR OLD.subtitle IS NOT NEW.subtitle OR OLD.summary IS NOT NEW.summary
	OR OLD.full_text IS NOT NEW.full_text OR OLD.id IS NOT NEW.id
BEGIN
	DELETE FROM publication_search WHERE rowid = OLD.id;
	INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body)
	SELECT id, title, subtitle, contributors, summary, body FROM publication_search_source WHERE id = NEW.id;
END;

CREATE TRIGGER publication_search_delete AFTER DELETE ON publications BEGIN
	DELETE FROM publication_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER publication_search_contribution_insert AFTER INSERT ON contributions BEGIN
	DELETE FROM publication_search WHERE rowid = NEW.publication_id;
	INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body)
	SELECT id, title, subtitle, contributors, summary, body FROM publication_search_source WHERE id = NEW.publication_id;
END;

CREATE TRIGGER publication_search_contribution_delete AFTER DELETE ON contributions BEGIN
	DELETE FROM publication_search WHERE rowid = OLD.publication_id;
	INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body)
	SELECT id, title, subtitle, contributors, summary, body FROM publication_search_source WHERE id = OLD.publication_id;
END;

CREATE TRIGGER publication_search_contribution_update AFTER UPDATE ON contributions BEGIN
	DELETE FROM publication_search WHERE rowid IN (OLD.publication_id, NEW.publication_id);
	INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body)
	SELECT id, title, subtitle, contributors, summary, body FROM publication_search_source
	WHERE id IN (OLD.publication_id, NEW.publication_id);
END;

CREATE TRIGGER publication_search_person AFTER UPDATE ON people
WHEN OLD.given IS NOT NEW.given OR OLD.family IS NOT NEW.family OR OLD.literal IS NOT NEW.literal
	OR OLD.dropping_particle IS NOT NEW.dropping_particle OR OLD.non_dropping_particle IS NOT NEW.non_dropping_particle
	OR OLD.suffix IS NOT NEW.suffix
BEGIN
	DELETE FROM publication_search WHERE rowid IN (SELECT publication_id FROM contributions WHERE person_id = NEW.id);
	INSERT INTO publication_search (rowid, title, subtitle, contributors, summary, body)
	SELECT id, title, subtitle, contributors, summary, body FROM publication_search_source
	WHERE id IN (SELECT publication_id FROM contributions WHERE person_id = NEW.id);
END;
