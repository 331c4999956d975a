-- A registration access token is always checked against the client its registration_client_uri
-- names (RFC 7592 §3: found by client_id, compared in constant time), never looked up by its hash,
-- so its unique index served nothing; 256 random bits do not collide. It cost a random index page
-- rewritten on every registration and every rotating GET/PUT; on PostgreSQL, because the rotated
-- column was indexed, it also kept those UPDATEs from being heap-only, so each one rewrote an entry in
-- every index of the table. Without it a rotation touches no index, and its WAL halves.
DROP INDEX drc_registration_token;
