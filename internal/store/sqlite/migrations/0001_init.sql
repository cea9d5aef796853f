-- Imprint schema, version 1: publications, people, topics, regions and the
-- links between them. Times are microseconds since the Unix epoch (UTC).
-- issued holds the date as editors write it (model.Date.String) and
-- issued_sort its model.Date.SortKey, so lists sort newest first whatever
-- the precision.

CREATE TABLE people (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	given TEXT NOT NULL DEFAULT '',
	family TEXT NOT NULL DEFAULT '',
	dropping_particle TEXT NOT NULL DEFAULT '',
	non_dropping_particle TEXT NOT NULL DEFAULT '',
	suffix TEXT NOT NULL DEFAULT '',
	literal TEXT NOT NULL DEFAULT '',
	role_line TEXT NOT NULL DEFAULT '',
	bio TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX people_name ON people (family, given, literal);

CREATE TABLE topics (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES topics (id),
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX topics_parent ON topics (parent_id);

CREATE TABLE regions (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES regions (id),
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX regions_parent ON regions (parent_id);

CREATE TABLE publications (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL,
	title TEXT NOT NULL,
	subtitle TEXT NOT NULL DEFAULT '',
	issued TEXT NOT NULL DEFAULT '',
	issued_sort INTEGER NOT NULL DEFAULT 0,
	container_title TEXT NOT NULL DEFAULT '',
	volume TEXT NOT NULL DEFAULT '',
	issue TEXT NOT NULL DEFAULT '',
	number TEXT NOT NULL DEFAULT '',
	pages TEXT NOT NULL DEFAULT '',
	publisher TEXT NOT NULL DEFAULT '',
	place TEXT NOT NULL DEFAULT '',
	issn TEXT NOT NULL DEFAULT '',
	isbn TEXT NOT NULL DEFAULT '',
	doi TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	full_text TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	published_at INTEGER
);
CREATE INDEX publications_newest ON publications (status, issued_sort DESC, id DESC);
CREATE INDEX publications_type_newest ON publications (type, status, issued_sort DESC, id DESC);

CREATE TABLE contributions (
	publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	person_id INTEGER NOT NULL REFERENCES people (id),
	role TEXT NOT NULL,
	PRIMARY KEY (publication_id, position)
);
CREATE INDEX contributions_person ON contributions (person_id, publication_id);

CREATE TABLE publication_topics (
	publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	topic_id INTEGER NOT NULL REFERENCES topics (id),
	position INTEGER NOT NULL,
	PRIMARY KEY (publication_id, topic_id)
);
CREATE INDEX publication_topics_topic ON publication_topics (topic_id, publication_id);

CREATE TABLE publication_regions (
	publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	region_id INTEGER NOT NULL REFERENCES regions (id),
	position INTEGER NOT NULL,
	PRIMARY KEY (publication_id, region_id)
);
CREATE INDEX publication_regions_region ON publication_regions (region_id, publication_id);

-- Hand-picked related publications, shown first in position order.
CREATE TABLE related_overrides (
	publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	related_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	PRIMARY KEY (publication_id, related_id),
	CHECK (publication_id <> related_id)
);
CREATE INDEX related_overrides_related ON related_overrides (related_id);
