-- How a client was registered beyond its registrant kind (issue 20 §1-§3): the client certificate of a
-- registration over mutual TLS (subject and issuer DN, x5t#S256 thumbprint: operators see who registered
-- it, and its registration access token may be bound to that certificate), and the software statement
-- it registered or last updated with, with that statement's verified claims. One JSON document; NULL
-- for clients registered with a bearer token alone and no statement.
ALTER TABLE dynamically_registered_clients ADD COLUMN origin ${json_type};
