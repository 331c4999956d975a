-- Users, single sign-on, the authorization code and refresh token grants, templates and client
-- revocation (issue 3). Keep in step with ../postgresql/V3__*.sql.

-- The user store. password_hash is a PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
CREATE TABLE users (
    user_id       VARCHAR(64)  NOT NULL PRIMARY KEY,   -- the subject (sub) of ID tokens; never reused
    username      VARCHAR(255) NOT NULL,               -- lower-cased login name
    password_hash VARCHAR(255) NOT NULL,
    name          VARCHAR(255),
    email         VARCHAR(255),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);

-- Single sign-on sessions, in the database so that any node serves them. The cookie holds the random
-- session id; only its HMAC is stored.
CREATE TABLE sso_sessions (
    session_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id      VARCHAR(64) NOT NULL,
    auth_time    TIMESTAMP WITH TIME ZONE NOT NULL,    -- when the user last entered the password
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sso_sessions_expiry ON sso_sessions (expires_at);
CREATE INDEX sso_sessions_user ON sso_sessions (user_id);

-- Failed sign-ins per account and per source address (key_hash = HMAC of "account:NAME" or
-- "address:IP"), in the database so that throttling holds across nodes.
CREATE TABLE login_failures (
    key_hash     VARCHAR(64) NOT NULL PRIMARY KEY,
    failures     INTEGER     NOT NULL,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL
);

-- RFC 6749 §4.1.2: authorization codes, single use, short-lived; stored by HMAC.
CREATE TABLE authorization_codes (
    code_hash             VARCHAR(64)   NOT NULL PRIMARY KEY,
    client_id             VARCHAR(255)  NOT NULL,
    user_id               VARCHAR(64)   NOT NULL,
    redirect_uri          VARCHAR(2000) NOT NULL,
    redirect_uri_sent     BOOLEAN       NOT NULL,     -- RFC 6749 §4.1.3: then the token request must repeat it
    scope                 VARCHAR(2000) NOT NULL,
    nonce                 VARCHAR(512),
    code_challenge        VARCHAR(128),               -- RFC 7636 §4.3, S256 only
    auth_time             TIMESTAMP WITH TIME ZONE NOT NULL,
    grant_id              VARCHAR(64)   NOT NULL,     -- the token family the code starts
    expires_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    redeemed              BOOLEAN       NOT NULL
);
CREATE INDEX authorization_codes_expiry ON authorization_codes (expires_at);

-- Refresh tokens (RFC 6749 §6), rotated on every use. A used token stays (rotated = TRUE) until it
-- expires, so that its replay is recognised and revokes the family (RFC 9700 §4.14.2).
CREATE TABLE refresh_tokens (
    token_hash   VARCHAR(64)   NOT NULL PRIMARY KEY,
    client_id    VARCHAR(255)  NOT NULL,
    dynamic_client BOOLEAN     NOT NULL,
    user_id      VARCHAR(64)   NOT NULL,
    grant_id     VARCHAR(64)   NOT NULL,
    scope        VARCHAR(2000) NOT NULL,
    auth_time    TIMESTAMP WITH TIME ZONE NOT NULL,
    issued_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    rotated      BOOLEAN       NOT NULL,
    cnf_x5t_s256 VARCHAR(64)                          -- RFC 8705 §4: bound refresh tokens of public clients
);
CREATE INDEX refresh_tokens_grant ON refresh_tokens (grant_id);
CREATE INDEX refresh_tokens_client ON refresh_tokens (client_id);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- Access tokens issued under a user's grant carry its id, so a family is revoked in one statement.
ALTER TABLE access_tokens ADD COLUMN grant_id VARCHAR(64);
CREATE INDEX access_tokens_grant ON access_tokens (grant_id);

-- Template clients (templatized DCR): a client made from one keeps template_id and is resolved
-- against the template's current row whenever it is read.
CREATE TABLE client_templates (
    template_id                  VARCHAR(255) NOT NULL PRIMARY KEY,   -- the software_id that names it
    metadata                     VARCHAR      NOT NULL,
    access_token_lifetime_secs   BIGINT,                              -- NULL: the server's default
    refresh_token_lifetime_secs  BIGINT,
    updated_at                   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every change of a client's status (revoked, re-enabled), who made it and why.
CREATE TABLE client_status_changes (
    change_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
    client_id  VARCHAR(255) NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    actor      VARCHAR(255) NOT NULL,
    reason     VARCHAR(1000),
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX client_status_changes_client ON client_status_changes (client_id, changed_at);

-- The ways of authorising a registration are named for who authenticates (PRODUCT.md).
UPDATE dynamically_registered_clients SET registrant_kind = 'client_authenticates' WHERE registrant_kind = 'initial_token';
