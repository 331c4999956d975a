-- Most clients are registered with an initial access token, not by a signed-in user, and most are
-- not made from a template: authenticated_user and template_id are NULL for them, and a B-tree
-- indexes NULLs too. Indexing only the rows that have a value spares every such registration two
-- index inserts and their WAL. Lookups by user (authenticated_user = ?) or template (template_id = ?)
-- still use the indexes: an equality implies IS NOT NULL. H2 has no partial indexes and keeps V1's.
DROP INDEX drc_authenticated_user;
CREATE INDEX drc_authenticated_user ON dynamically_registered_clients (authenticated_user) WHERE authenticated_user IS NOT NULL;
DROP INDEX drc_template;
CREATE INDEX drc_template ON dynamically_registered_clients (template_id) WHERE template_id IS NOT NULL;
-- By default every RFC 7592 GET and PUT rotates the client's secret and registration access token:
-- an UPDATE of columns no index covers, which PostgreSQL can make heap-only (HOT: no new index
-- entries, old versions pruned within the page) only if the row's page has room for the new
-- version. Full pages (the default fillfactor, 100) sent every rotation to another page with a new
-- entry in every index of the table. Leave a fifth of each page free for them.
ALTER TABLE dynamically_registered_clients SET (fillfactor = 80);
