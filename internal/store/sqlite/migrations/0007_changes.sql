-- Imprint schema, version 7: a generation number for everything the public
-- site shows. Every write to a table that a public page, feed or citation
-- reads from raises site_changes.generation inside the writing transaction,
-- so the new number becomes visible exactly when the change does, whoever
-- wrote it: the admin, `imprint import`, or another app server.
-- internal/cache reads the number (a one-row read, polled) and drops the
-- rendered pages it holds when the number moves. A table added later whose
-- rows appear on public pages needs the same three triggers; the cache
-- package's tests list the tables and fail for one that does not raise it.
-- Accounts, sessions, throttle events, revisions and the audit log are not
-- shown publicly and do not raise it.

CREATE TABLE site_changes (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	generation INTEGER NOT NULL
);
INSERT INTO site_changes (id, generation) VALUES (1, 1);

CREATE TRIGGER site_changes_publications_insert AFTER INSERT ON publications BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_publications_update AFTER UPDATE ON publications BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_publications_delete AFTER DELETE ON publications BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER site_changes_contributions_insert AFTER INSERT ON contributions BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_contributions_update AFTER UPDATE ON contributions BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_contributions_delete AFTER DELETE ON contributions BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER site_changes_people_insert AFTER INSERT ON people BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_people_update AFTER UPDATE ON people BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_people_delete AFTER DELETE ON people BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER site_changes_topics_insert AFTER INSERT ON topics BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_topics_update AFTER UPDATE ON topics BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_topics_delete AFTER DELETE ON topics BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER site_changes_regions_insert AFTER INSERT ON regions BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_regions_update AFTER UPDATE ON regions BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_regions_delete AFTER DELETE ON regions BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER site_changes_publication_topics_insert AFTER INSERT ON publication_topics BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_publication_topics_update AFTER UPDATE ON publication_topics BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_publication_topics_delete AFTER DELETE ON publication_topics BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER site_changes_publication_regions_insert AFTER INSERT ON publication_regions BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_publication_regions_update AFTER UPDATE ON publication_regions BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_publication_regions_delete AFTER DELETE ON publication_regions BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER site_changes_related_overrides_insert AFTER INSERT ON related_overrides BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_related_overrides_update AFTER UPDATE ON related_overrides BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_related_overrides_delete AFTER DELETE ON related_overrides BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER site_changes_related_ranked_insert AFTER INSERT ON related_ranked BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_related_ranked_update AFTER UPDATE ON related_ranked BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_related_ranked_delete AFTER DELETE ON related_ranked BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER site_changes_related_lists_insert AFTER INSERT ON related_lists BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_related_lists_update AFTER UPDATE ON related_lists BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER site_changes_related_lists_delete AFTER DELETE ON related_lists BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1;
END;
