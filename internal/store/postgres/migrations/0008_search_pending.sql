-- Imprint schema, version 8, for PostgreSQL: the search index is brought
-- up to date once per write transaction, and holds the filters a reader
-- can search by, as the SQLite schema's version 8 does.
--
-- The triggers of 0003 refreshed a publication's row once for the
-- publication and once more for each of its contributors; they now only
-- note which publications changed, in publication_search_pending, inside
-- the same transaction, and the store refreshes each noted publication
-- once just before the transaction commits (sqlstore.Dialect.BeforeCommit).
--
-- facets holds one lexeme per filter: the type ("ty", the type without
-- hyphens, then 0), each topic ("to" and its id), each region ("re" and
-- its id) and each contributor ("pe" and the person's id), analysed with
-- the simple configuration so that each stays as written. A filtered
-- search then finds its matches in the GIN indexes alone, the words in
-- document and the filters in facets, instead of testing each match of a
-- common word against the filters' tables.

CREATE TABLE publication_search_pending (
	publication_id BIGINT PRIMARY KEY
);

ALTER TABLE publication_search ADD COLUMN facets tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX publication_search_facets ON publication_search USING GIN (facets);
-- Which configurations the documents use: a search analyses the reader's
-- words with those alone, and needs no second test when there is one.
CREATE INDEX publication_search_config ON publication_search (search_config);

CREATE OR REPLACE VIEW publication_search_source AS
SELECT p.id, p.title, p.subtitle,
	COALESCE((SELECT string_agg(trim(pe.given || ' ' || pe.dropping_particle || ' ' || pe.non_dropping_particle || ' ' ||
		pe.family || ' ' || pe.suffix || ' ' || pe.literal), ' ' ORDER BY c.position)
		FROM contributions c JOIN people pe ON pe.id = c.person_id WHERE c.publication_id = p.id), '') AS contributors,
	p.summary, p.full_text AS body, p.language,
	'ty' || replace(p.type, '-', '') || '0'
		|| COALESCE((SELECT string_agg(' to' || ft.topic_id, '') FROM publication_topics ft WHERE ft.publication_id = p.id), '')
		|| COALESCE((SELECT string_agg(' re' || fr.region_id, '') FROM publication_regions fr WHERE fr.publication_id = p.id), '')
		|| COALESCE((SELECT string_agg(' pe' || fc.person_id, '') FROM contributions fc WHERE fc.publication_id = p.id), '')
		AS facets
FROM publications p
WHERE p.status = 'published' AND p.deleted_at IS NULL;

CREATE OR REPLACE FUNCTION publication_search_refresh(pid BIGINT) RETURNS void LANGUAGE sql AS $$
	DELETE FROM publication_search WHERE publication_id = pid;
	INSERT INTO publication_search (publication_id, search_config, document, facets)
	SELECT id, cfg,
		setweight(to_tsvector(cfg, title), 'A') || setweight(to_tsvector(cfg, contributors), 'B') ||
		setweight(to_tsvector(cfg, subtitle || ' ' || summary), 'C') || setweight(to_tsvector(cfg, body), 'D'),
		to_tsvector('simple', facets)
	FROM (SELECT s.*, search_config(s.language) AS cfg FROM publication_search_source s WHERE s.id = pid) x;
$$;

SELECT publication_search_refresh(id) FROM publications;

CREATE FUNCTION publication_search_note(pid BIGINT) RETURNS void LANGUAGE sql AS $$
	INSERT INTO publication_search_pending (publication_id) VALUES (pid) ON CONFLICT DO NOTHING;
$$;

CREATE OR REPLACE FUNCTION publication_search_publication() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' OR OLD.title IS DISTINCT FROM NEW.title OR OLD.subtitle IS DISTINCT FROM NEW.subtitle
		OR OLD.summary IS DISTINCT FROM NEW.summary OR OLD.full_text IS DISTINCT FROM NEW.full_text
		OR OLD.language IS DISTINCT FROM NEW.language OR OLD.type IS DISTINCT FROM NEW.type
		OR OLD.status IS DISTINCT FROM NEW.status OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at THEN
		PERFORM publication_search_note(NEW.id);
	END IF;
	RETURN NULL;
END
$$;

-- Contributions, topics and regions: each row names its publication.
CREATE OR REPLACE FUNCTION publication_search_contribution() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM publication_search_note(OLD.publication_id);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		PERFORM publication_search_note(NEW.publication_id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER publication_search_topic AFTER INSERT OR UPDATE OR DELETE ON publication_topics
	FOR EACH ROW EXECUTE FUNCTION publication_search_contribution();
CREATE TRIGGER publication_search_region AFTER INSERT OR UPDATE OR DELETE ON publication_regions
	FOR EACH ROW EXECUTE FUNCTION publication_search_contribution();

CREATE OR REPLACE FUNCTION publication_search_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.given IS DISTINCT FROM NEW.given OR OLD.family IS DISTINCT FROM NEW.family
		OR OLD.literal IS DISTINCT FROM NEW.literal OR OLD.dropping_particle IS DISTINCT FROM NEW.dropping_particle
		OR OLD.non_dropping_particle IS DISTINCT FROM NEW.non_dropping_particle OR OLD.suffix IS DISTINCT FROM NEW.suffix THEN
		PERFORM publication_search_note(c.publication_id) FROM contributions c WHERE c.person_id = NEW.id;
	END IF;
	RETURN NULL;
END
$$;
