package io.registrar.store.jdbc;

/**
 * The statements that write a whole batch at once, where a {@link Dialect} has them (PostgreSQL: a
 * column per array parameter through {@code unnest}, so the same prepared statement serves any batch
 * size). H2 has none: its {@link GroupCommit} batches every write already.
 *
 * @param insertClients            registrations that consume nothing, one INSERT per batch
 * @param rotateClients            rotations of credentials, one conditional UPDATE per batch
 * @param insertAccessTokens       access tokens, one INSERT per batch
 * @param insertAccessTokensUnsynced the same, committed without waiting for the WAL flush
 */
record BatchStatements(String insertClients, String rotateClients, String insertAccessTokens, String insertAccessTokensUnsynced) {

    static final String CLIENT_COLUMNS = "client_id, status, metadata, secret_hash, secret_encrypted, secret_expires_at, "
            + "registration_token_hash, registration_token_expires_at, registration_token_delete_expires_at, "
            + "registered_by, registrant_kind, authenticated_user, template_id, created_at, updated_at, origin";
    static final String ACCESS_TOKEN_COLUMNS = "token_hash, client_id, dynamic_client, scope, subject, issued_at, expires_at, "
            + "registrations_left, cnf_x5t_s256, grant_id";

    private static final String POSTGRESQL_INSERT_ACCESS_TOKENS = "INSERT INTO access_tokens (" + ACCESS_TOKEN_COLUMNS + ") SELECT "
            + ACCESS_TOKEN_COLUMNS + " FROM unnest(?::varchar[], ?::varchar[], ?::boolean[], ?::varchar[], ?::varchar[], "
            + "?::timestamptz[], ?::timestamptz[], ?::integer[], ?::varchar[], ?::varchar[]) AS batch(" + ACCESS_TOKEN_COLUMNS + ")";

    static final BatchStatements POSTGRESQL = new BatchStatements(
            "INSERT INTO dynamically_registered_clients (" + CLIENT_COLUMNS + ") SELECT client_id, "
                    + "status, metadata::jsonb, secret_hash, secret_encrypted, secret_expires_at, registration_token_hash, "
                    + "registration_token_expires_at, registration_token_delete_expires_at, registered_by, registrant_kind, "
                    + "authenticated_user, template_id, created_at, updated_at, origin::jsonb FROM unnest(?::varchar[], ?::varchar[], "
                    + "?::text[], ?::varchar[], ?::varchar[], ?::timestamptz[], ?::varchar[], ?::timestamptz[], ?::timestamptz[], "
                    + "?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[], ?::timestamptz[], ?::text[]) "
                    + "AS batch(" + CLIENT_COLUMNS + ")",
            // Each row is updated only where it still has the registration access token its request
            // presented, as in the single UPDATE; if two requests in one batch present the same token,
            // the row joins both and PostgreSQL applies one of them. RETURNING gives the token hash each
            // updated row now has, which names the request that won: every rotation brings a new one.
            "UPDATE dynamically_registered_clients c SET metadata = b.metadata::jsonb, "
                    + "secret_hash = b.secret_hash, secret_encrypted = b.secret_encrypted, secret_expires_at = b.secret_expires_at, "
                    + "registration_token_hash = b.registration_token_hash, registration_token_expires_at = b.registration_token_expires_at, "
                    + "registration_token_delete_expires_at = b.registration_token_delete_expires_at, "
                    + "previous_token_hash = b.previous_token_hash, previous_token_until = b.previous_token_until, "
                    + "pending_response = b.pending_response, updated_at = b.updated_at, origin = b.origin::jsonb "
                    + "FROM unnest(?::varchar[], ?::text[], ?::varchar[], ?::varchar[], ?::timestamptz[], ?::varchar[], ?::timestamptz[], "
                    + "?::timestamptz[], ?::varchar[], ?::timestamptz[], ?::varchar[], ?::timestamptz[], ?::varchar[], ?::text[]) "
                    + "AS b(client_id, metadata, secret_hash, secret_encrypted, secret_expires_at, registration_token_hash, "
                    + "registration_token_expires_at, registration_token_delete_expires_at, previous_token_hash, previous_token_until, "
                    + "pending_response, updated_at, expected_token_hash, origin) "
                    + "WHERE c.client_id = b.client_id AND c.registration_token_hash = b.expected_token_hash "
                    + "RETURNING c.registration_token_hash",
            POSTGRESQL_INSERT_ACCESS_TOKENS,
            // synchronous_commit off for this statement's own transaction only (storage.accessTokenCommit:
            // asynchronous). set_config(…, true) is SET LOCAL as an expression, so the statement still runs
            // alone in autocommit: one round trip, and the commit that ends it does not wait for the WAL flush.
            "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "
                    + POSTGRESQL_INSERT_ACCESS_TOKENS.replace(" AS batch(" + ACCESS_TOKEN_COLUMNS + ")",
                    " AS batch(" + ACCESS_TOKEN_COLUMNS + "), relaxed"));
}
