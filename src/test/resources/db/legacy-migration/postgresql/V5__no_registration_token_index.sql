-- A registration access token is always checked against the client its registration_client_uri
-- names (RFC 7592 §3: found by client_id, compared in constant time), never looked up by its hash,
-- so its unique index served nothing; 256 random bits do not collide. It cost a random index insert
-- on every registration and on every rotating GET/PUT, and, because the rotated column was indexed,
-- kept those UPDATEs from being heap-only: each one rewrote an entry in every index of the table.
-- Without it a rotation touches no index, and its WAL halves. H2's V5 drops the same index.
DROP INDEX drc_registration_token;
