-- Registrar schema, one script for H2 and PostgreSQL. Two Flyway placeholders name the types that
-- differ: json_type for a JSON document (JSONB on PostgreSQL, VARCHAR on H2) and text_type for
-- unbounded text (TEXT, VARCHAR). What only PostgreSQL can do lives in ../postgresql-only.

CREATE TABLE dynamically_registered_clients (
    client_id                         VARCHAR(64)  NOT NULL PRIMARY KEY,
    status                            VARCHAR(16)  NOT NULL,
    metadata                          ${json_type} NOT NULL,   -- the stored metadata document
    secret_hash                       VARCHAR(64),             -- HMAC-SHA-256 of client_secret; NULL: no secret
    secret_expires_at                 TIMESTAMP WITH TIME ZONE, -- NULL: never expires
    registration_token_hash           VARCHAR(64)  NOT NULL,   -- HMAC-SHA-256 of the registration access token
    registration_token_expires_at     TIMESTAMP WITH TIME ZONE NOT NULL, -- GET/PUT/DELETE until then
    registration_token_delete_expires_at TIMESTAMP WITH TIME ZONE NOT NULL, -- DELETE alone until then
    registered_by                     VARCHAR(255),            -- initial client id (or user, later)
    registrant_kind                   VARCHAR(32)  NOT NULL,   -- how the registration was authorised
    authenticated_user                VARCHAR(255),
    template_id                       VARCHAR(255),
    created_at                        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at                        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT drc_status_check CHECK (status IN ('active', 'revoked'))
);
CREATE UNIQUE INDEX drc_registration_token ON dynamically_registered_clients (registration_token_hash);
CREATE INDEX drc_authenticated_user ON dynamically_registered_clients (authenticated_user);
CREATE INDEX drc_template ON dynamically_registered_clients (template_id);

CREATE TABLE access_tokens (
    token_hash         VARCHAR(64)  NOT NULL PRIMARY KEY,
    client_id          VARCHAR(255) NOT NULL,
    dynamic_client     BOOLEAN      NOT NULL,
    scope              VARCHAR(2000) NOT NULL,
    subject            VARCHAR(255),
    issued_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    registrations_left INTEGER                 -- DCR tokens: registrations still allowed; NULL: unlimited
);
CREATE INDEX access_tokens_client ON access_tokens (client_id);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

CREATE TABLE server_state (
    name       VARCHAR(128) NOT NULL PRIMARY KEY,
    state_value ${text_type} NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
