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
	publication_id BIGINT PRIMARY KEY REFERENCES publications (id) ON DELETE CASCADE,
	computed_at BIGINT NOT NULL
);

CREATE TABLE related_lists (
	publication_id BIGINT NOT NULL REFERENCES related_ranked (publication_id) ON DELETE CASCADE,
	rank BIGINT NOT NULL,
	related_id BIGINT NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	score BIGINT NOT NULL,
	reasons TEXT COLLATE "C" NOT NULL DEFAULT '',
	PRIMARY KEY (publication_id, rank)
);
CREATE INDEX related_lists_related ON related_lists (related_id);
