-- A registration access token is always checked against the client its registration_client_uri
-- names (RFC 7592 §3: found by client_id, compared in constant time), never looked up by its hash,
-- so its unique index served nothing; 256 random bits do not collide. It cost a random index page
-- rewritten on every registration and every rotating GET/PUT. (H2 has no V4: PostgreSQL's V4 makes
-- an index partial, which H2 cannot.) PostgreSQL's V5 drops the same index.
DROP INDEX drc_registration_token;
