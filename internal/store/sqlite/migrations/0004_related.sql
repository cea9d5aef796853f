-- Imprint schema, version 4: "More on This Topic" kept ready to read.
-- Ranking a page's related list at request time reads every publication
-- sharing a term with it (hundreds of milliseconds at 100,000
-- publications); internal/related ranks ahead instead, when a publication
-- changes, and the page reads its rows here by primary key.
-- related_ranked marks a publication whose list was computed, so that an
-- empty list (nothing related) differs from one not computed yet.
-- score is the ranking score in millionths, so that both engines store the
-- same integer; reasons say which shared terms it came from.

CREATE TABLE related_ranked (
	publication_id INTEGER PRIMARY KEY REFERENCES publications (id) ON DELETE CASCADE,
	computed_at INTEGER NOT NULL
);

CREATE TABLE related_lists (
	publication_id INTEGER NOT NULL REFERENCES related_ranked (publication_id) ON DELETE CASCADE,
	rank INTEGER NOT NULL,
	related_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	score INTEGER NOT NULL,
	reasons TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (publication_id, rank)
);
CREATE INDEX related_lists_related ON related_lists (related_id);
