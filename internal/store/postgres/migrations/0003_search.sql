-- Imprint schema, version 3, for PostgreSQL: full-text search
-- (internal/search). SQLite keeps an FTS5 table; here publication_search
-- holds one weighted tsvector per publication under a GIN index: title A,
-- contributor names B, subtitle and summary C, full text D, the order in
-- which internal/search ranks them. Each publication's text is analysed
-- with the text search configuration of its language (search_config),
-- falling back to 'simple' for languages PostgreSQL has no stemmer for.
-- Triggers keep it current inside the transaction of every write to
-- publications, contributions and people, as the SQLite triggers do, so
-- that no code path that writes a publication can forget it.
-- The schema comparison with SQLite leaves this table out (see
-- internal/store/postgres/schema_test.go): the two engines index text in
-- structures of their own.

CREATE VIEW publication_search_source AS
SELECT p.id, p.title, p.subtitle,
	COALESCE((SELECT string_agg(trim(pe.given || ' ' || pe.dropping_particle || ' ' || pe.non_dropping_particle || ' ' ||
		pe.family || ' ' || pe.suffix || ' ' || pe.literal), ' ' ORDER BY c.position)
		FROM contributions c JOIN people pe ON pe.id = c.person_id WHERE c.publication_id = p.id), '') AS contributors,
	p.summary, p.full_text AS body, p.language
FROM publications p;

-- search_config maps a BCP 47 language tag ("" is English) to a text
-- search configuration.
CREATE FUNCTION search_config(lang TEXT) RETURNS regconfig LANGUAGE sql IMMUTABLE AS $$
	SELECT (CASE lower(split_part(lang, '-', 1))
		WHEN '' THEN 'english' WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french' WHEN 'de' THEN 'german'
		WHEN 'es' THEN 'spanish' WHEN 'it' THEN 'italian' WHEN 'pt' THEN 'portuguese' WHEN 'nl' THEN 'dutch'
		WHEN 'ru' THEN 'russian' WHEN 'sv' THEN 'swedish' WHEN 'da' THEN 'danish' WHEN 'fi' THEN 'finnish'
		WHEN 'no' THEN 'norwegian' WHEN 'nb' THEN 'norwegian' WHEN 'nn' THEN 'norwegian'
		ELSE 'simple' END)::regconfig
$$;

CREATE TABLE publication_search (
	publication_id BIGINT PRIMARY KEY REFERENCES publications (id) ON DELETE CASCADE,
	search_config regconfig NOT NULL,
	document tsvector NOT NULL
);
CREATE INDEX publication_search_document ON publication_search USING GIN (document);

CREATE FUNCTION publication_search_refresh(pid BIGINT) RETURNS void LANGUAGE sql AS $$
	DELETE FROM publication_search WHERE publication_id = pid;
	INSERT INTO publication_search (publication_id, search_config, document)
	SELECT id, cfg,
		setweight(to_tsvector(cfg, title), 'A') || setweight(to_tsvector(cfg, contributors), 'B') ||
		setweight(to_tsvector(cfg, subtitle || ' ' || summary), 'C') || setweight(to_tsvector(cfg, body), 'D')
	FROM (SELECT s.*, search_config(s.language) AS cfg FROM publication_search_source s WHERE s.id = pid) x;
$$;

SELECT publication_search_refresh(id) FROM publications;

CREATE FUNCTION publication_search_publication() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' OR OLD.title IS DISTINCT FROM NEW.title OR OLD.subtitle IS DISTINCT FROM NEW.subtitle
		OR OLD.summary IS DISTINCT FROM NEW.summary OR OLD.full_text IS DISTINCT FROM NEW.full_text
		OR OLD.language IS DISTINCT FROM NEW.language THEN
		PERFORM publication_search_refresh(NEW.id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER publication_search_publication AFTER INSERT OR UPDATE ON publications
	FOR EACH ROW EXECUTE FUNCTION publication_search_publication();

CREATE FUNCTION publication_search_contribution() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM publication_search_refresh(OLD.publication_id);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		PERFORM publication_search_refresh(NEW.publication_id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER publication_search_contribution AFTER INSERT OR UPDATE OR DELETE ON contributions
	FOR EACH ROW EXECUTE FUNCTION publication_search_contribution();

CREATE FUNCTION publication_search_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.given IS DISTINCT FROM NEW.given OR OLD.family IS DISTINCT FROM NEW.family
		OR OLD.literal IS DISTINCT FROM NEW.literal OR OLD.dropping_particle IS DISTINCT FROM NEW.dropping_particle
		OR OLD.non_dropping_particle IS DISTINCT FROM NEW.non_dropping_particle OR OLD.suffix IS DISTINCT FROM NEW.suffix THEN
		PERFORM publication_search_refresh(c.publication_id) FROM contributions c WHERE c.person_id = NEW.id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER publication_search_person AFTER UPDATE ON people
	FOR EACH ROW EXECUTE FUNCTION publication_search_person();
