-- Strong client authentication (RFC 7523, RFC 8705) and revocation (RFC 7009). Keep in step with
-- ../postgresql/V2__*.sql.

-- client_secret_jwt needs the raw secret to check an HMAC: AES-GCM ciphertext under the configured
-- key-encryption key, base64(iv || ciphertext). NULL for every other method (secrets stay hashed).
ALTER TABLE dynamically_registered_clients ADD COLUMN secret_encrypted VARCHAR(512);

-- RFC 8705 §3.1: base64url SHA-256 thumbprint of the certificate a token is bound to; NULL: unbound.
ALTER TABLE access_tokens ADD COLUMN cnf_x5t_s256 VARCHAR(64);

-- RFC 7523 §3 (7): a client assertion's jti is accepted once. Shared by every node; a row lives until
-- the assertion it names has expired, then housekeeping removes it.
CREATE TABLE client_assertion_jtis (
    jti_hash   VARCHAR(64) NOT NULL PRIMARY KEY,   -- HMAC of client_id and jti
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX client_assertion_jtis_expiry ON client_assertion_jtis (expires_at);
