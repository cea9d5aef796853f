-- Imprint schema, version 11: nothing changes here. PostgreSQL's index of
-- published publications newest first gains their type, so that a topic
-- searched without words reads the index alone; SQLite's search of it is
-- already within its budget. The version keeps both engines' schema
-- versions the same.
SELECT 1;
