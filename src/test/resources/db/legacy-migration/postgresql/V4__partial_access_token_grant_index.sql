-- Only access tokens bought with a user's grant (authorization_code, refresh_token) have a grant_id;
-- client_credentials tokens, the bulk of them, have none. Indexing just the others spares every
-- client_credentials INSERT one index entry. Family revocation (DELETE … WHERE grant_id = ?) still
-- uses the index: grant_id = ? implies grant_id IS NOT NULL. H2 has no partial indexes and keeps V3's.
DROP INDEX access_tokens_grant;
CREATE INDEX access_tokens_grant ON access_tokens (grant_id) WHERE grant_id IS NOT NULL;
