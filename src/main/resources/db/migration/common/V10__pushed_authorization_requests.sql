-- Pushed authorization requests (RFC 9126): what a client pushed to /par, kept until /authorize uses
-- it once or it expires (minutes). request_uri is a bearer reference to the request, so only its HMAC
-- is stored, as for codes and tokens.
CREATE TABLE pushed_authorization_requests (
    uri_hash   VARCHAR(64)  NOT NULL PRIMARY KEY,
    client_id  VARCHAR(255) NOT NULL,
    parameters ${json_type} NOT NULL,   -- the pushed parameters, one value each, as a JSON object
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX pushed_authorization_requests_expiry ON pushed_authorization_requests (expires_at);
