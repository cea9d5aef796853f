-- Imprint schema, version 10: the search index keeps the pairs of words
-- that follow each other, so that a phrase is found by the index alone.
--
-- The GIN index of document finds the documents that have every word of a
-- phrase; whether the words follow each other was then tested by reading
-- each of those documents. A common phrase ("south korea") has tens of
-- thousands of them, and counting its matches read them all. pairs holds
-- each two lexemes at neighbouring positions of document as one lexeme,
-- "south korea", so that a phrase of two words is one lookup in its own
-- GIN index, exact, and a longer phrase reads only the documents that have
-- all its pairs. Neighbouring means what the <-> operator means on
-- document: the parts are concatenated with ||, so the last word of the
-- title neighbours the first of the contributors, as <-> has it too.
CREATE FUNCTION search_pairs(doc tsvector) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT COALESCE(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
	FROM (SELECT u.lexeme, p FROM unnest(doc) u, unnest(u.positions) p) a
	JOIN (SELECT u.lexeme, p FROM unnest(doc) u, unnest(u.positions) p) b ON b.p = a.p + 1
$$;

-- search_pairs_query is the test of pairs for a phrase analysed with cfg:
-- every pair of its words, in tsquery syntax (a pair holds a space, so
-- each is quoted); NULL when the analysis leaves fewer than two words or
-- a gap between them (a stop word: "bank of england"), which pairs cannot
-- answer.
CREATE FUNCTION search_pairs_query(cfg regconfig, phrase text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	WITH v AS (SELECT to_tsvector(cfg, phrase) AS doc),
	pos AS (SELECT p FROM v, unnest(v.doc) u, unnest(u.positions) p)
	SELECT CASE WHEN (SELECT COUNT(*) FROM pos) >= 2
			AND (SELECT MAX(p) - MIN(p) + 1 FROM pos) = (SELECT COUNT(DISTINCT p) FROM pos)
		THEN (SELECT string_agg('''' || replace(replace(lexeme, '\', '\\'), '''', '\''') || '''', ' & ')
			FROM unnest(search_pairs((SELECT doc FROM v))))
	END
$$;

ALTER TABLE publication_search ADD COLUMN pairs tsvector NOT NULL DEFAULT ''::tsvector;
UPDATE publication_search SET pairs = search_pairs(document);
CREATE INDEX publication_search_pairs ON publication_search USING GIN (pairs);

CREATE OR REPLACE FUNCTION publication_search_refresh(pid BIGINT) RETURNS void LANGUAGE sql AS $$
	DELETE FROM publication_search WHERE publication_id = pid;
	INSERT INTO publication_search (publication_id, search_config, document, pairs, facets)
	SELECT id, cfg, document, search_pairs(document), facets
	FROM (SELECT id, cfg,
		setweight(to_tsvector(cfg, title), 'A') || setweight(to_tsvector(cfg, contributors), 'B') ||
		setweight(to_tsvector(cfg, subtitle || ' ' || summary), 'C') || setweight(to_tsvector(cfg, body), 'D') AS document,
		to_tsvector('simple', facets) AS facets
		FROM (SELECT s.*, search_config(s.language) AS cfg FROM publication_search_source s WHERE s.id = pid) x) y;
$$;
