-- Imprint schema, version 10: nothing changes here. PostgreSQL's index
-- gains the pairs of neighbouring words, to find phrases without reading
-- documents; FTS5 keeps every word's positions in its index and finds a
-- phrase from them alone already. The version keeps both engines' schema
-- versions the same.
SELECT 1;
