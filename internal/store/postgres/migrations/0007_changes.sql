-- Imprint schema, version 7, for PostgreSQL: a generation number for
-- everything the public site shows, as in SQLite's version 7. Every
-- transaction that writes to a table that a public page, feed or citation
-- reads from raises site_changes.generation once, inside the transaction,
-- so the new number becomes visible exactly when the change does, whoever
-- wrote it: the admin, `imprint import`, or another app server. The same
-- transaction sends a notification on the channel imprint_changes with the
-- schema and the new number as payload ("public 42"); PostgreSQL delivers
-- it only once the transaction commits, so app servers listening
-- (internal/cache) drop their rendered pages within milliseconds of a
-- change, and the number they then read already includes it.
--
-- The triggers are deferred constraint triggers: they fire at commit, after
-- the transaction has taken every other lock it needs, so that the lock on
-- the one site_changes row is held only for the moment of the commit and
-- cannot close a deadlock with rows that two writers hold. Their WHEN
-- condition, evaluated as each row is written, is true only for the first
-- row of a transaction, which marks the transaction with a
-- transaction-local setting, so a transaction that writes 100,000 rows
-- queues one event, not 100,000. It is a plain expression rather than a
-- PL/pgSQL function because it runs for every row written: a function
-- call cost 7 µs a row, the expression nothing measurable. CASE evaluates
-- its branches in order, so the mark is read before it is set. A savepoint
-- rolled back undoes the mark together with the event it queued. TRUNCATE,
-- which row triggers do not see, raises the number at once. A table added
-- later whose rows appear on public pages needs the same two triggers; the
-- cache package's tests list the tables and fail for one that does not
-- raise the number.

CREATE TABLE site_changes (
	id BIGINT PRIMARY KEY CHECK (id = 1),
	generation BIGINT NOT NULL
);
INSERT INTO site_changes (id, generation) VALUES (1, 1);

CREATE FUNCTION site_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	g BIGINT;
BEGIN
	UPDATE site_changes SET generation = generation + 1 WHERE id = 1 RETURNING generation INTO g;
	PERFORM pg_notify('imprint_changes', current_schema() || ' ' || g);
	RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER site_changes_publications AFTER INSERT OR UPDATE OR DELETE ON publications
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (
		CASE WHEN current_setting('imprint.site_change_queued', true) = 'on' THEN false
		ELSE set_config('imprint.site_change_queued', 'on', true) = 'on' END) EXECUTE FUNCTION site_changed();
CREATE TRIGGER site_changes_publications_truncate AFTER TRUNCATE ON publications
	FOR EACH STATEMENT EXECUTE FUNCTION site_changed();

CREATE CONSTRAINT TRIGGER site_changes_contributions AFTER INSERT OR UPDATE OR DELETE ON contributions
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (
		CASE WHEN current_setting('imprint.site_change_queued', true) = 'on' THEN false
		ELSE set_config('imprint.site_change_queued', 'on', true) = 'on' END) EXECUTE FUNCTION site_changed();
CREATE TRIGGER site_changes_contributions_truncate AFTER TRUNCATE ON contributions
	FOR EACH STATEMENT EXECUTE FUNCTION site_changed();

CREATE CONSTRAINT TRIGGER site_changes_people AFTER INSERT OR UPDATE OR DELETE ON people
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (
		CASE WHEN current_setting('imprint.site_change_queued', true) = 'on' THEN false
		ELSE set_config('imprint.site_change_queued', 'on', true) = 'on' END) EXECUTE FUNCTION site_changed();
CREATE TRIGGER site_changes_people_truncate AFTER TRUNCATE ON people
	FOR EACH STATEMENT EXECUTE FUNCTION site_changed();

CREATE CONSTRAINT TRIGGER site_changes_topics AFTER INSERT OR UPDATE OR DELETE ON topics
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (
		CASE WHEN current_setting('imprint.site_change_queued', true) = 'on' THEN false
		ELSE set_config('imprint.site_change_queued', 'on', true) = 'on' END) EXECUTE FUNCTION site_changed();
CREATE TRIGGER site_changes_topics_truncate AFTER TRUNCATE ON topics
	FOR EACH STATEMENT EXECUTE FUNCTION site_changed();

CREATE CONSTRAINT TRIGGER site_changes_regions AFTER INSERT OR UPDATE OR DELETE ON regions
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (
		CASE WHEN current_setting('imprint.site_change_queued', true) = 'on' THEN false
		ELSE set_config('imprint.site_change_queued', 'on', true) = 'on' END) EXECUTE FUNCTION site_changed();
CREATE TRIGGER site_changes_regions_truncate AFTER TRUNCATE ON regions
	FOR EACH STATEMENT EXECUTE FUNCTION site_changed();

CREATE CONSTRAINT TRIGGER site_changes_publication_topics AFTER INSERT OR UPDATE OR DELETE ON publication_topics
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (
		CASE WHEN current_setting('imprint.site_change_queued', true) = 'on' THEN false
		ELSE set_config('imprint.site_change_queued', 'on', true) = 'on' END) EXECUTE FUNCTION site_changed();
CREATE TRIGGER site_changes_publication_topics_truncate AFTER TRUNCATE ON publication_topics
	FOR EACH STATEMENT EXECUTE FUNCTION site_changed();

CREATE CONSTRAINT TRIGGER site_changes_publication_regions AFTER INSERT OR UPDATE OR DELETE ON publication_regions
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (
		CASE WHEN current_setting('imprint.site_change_queued', true) = 'on' THEN false
		ELSE set_config('imprint.site_change_queued', 'on', true) = 'on' END) EXECUTE FUNCTION site_changed();
CREATE TRIGGER site_changes_publication_regions_truncate AFTER TRUNCATE ON publication_regions
	FOR EACH STATEMENT EXECUTE FUNCTION site_changed();

CREATE CONSTRAINT TRIGGER site_changes_related_overrides AFTER INSERT OR UPDATE OR DELETE ON related_overrides
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (
		CASE WHEN current_setting('imprint.site_change_queued', true) = 'on' THEN false
		ELSE set_config('imprint.site_change_queued', 'on', true) = 'on' END) EXECUTE FUNCTION site_changed();
CREATE TRIGGER site_changes_related_overrides_truncate AFTER TRUNCATE ON related_overrides
	FOR EACH STATEMENT EXECUTE FUNCTION site_changed();

CREATE CONSTRAINT TRIGGER site_changes_related_ranked AFTER INSERT OR UPDATE OR DELETE ON related_ranked
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (
		CASE WHEN current_setting('imprint.site_change_queued', true) = 'on' THEN false
		ELSE set_config('imprint.site_change_queued', 'on', true) = 'on' END) EXECUTE FUNCTION site_changed();
CREATE TRIGGER site_changes_related_ranked_truncate AFTER TRUNCATE ON related_ranked
	FOR EACH STATEMENT EXECUTE FUNCTION site_changed();

CREATE CONSTRAINT TRIGGER site_changes_related_lists AFTER INSERT OR UPDATE OR DELETE ON related_lists
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (
		CASE WHEN current_setting('imprint.site_change_queued', true) = 'on' THEN false
		ELSE set_config('imprint.site_change_queued', 'on', true) = 'on' END) EXECUTE FUNCTION site_changed();
CREATE TRIGGER site_changes_related_lists_truncate AFTER TRUNCATE ON related_lists
	FOR EACH STATEMENT EXECUTE FUNCTION site_changed();
