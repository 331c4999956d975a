-- Rotation leeway (management.rotationLeeway, tokens.refreshTokenRotationLeeway; issue 21 §2): a
-- rotation whose response never reached the client must not lock it out. For the leeway after a
-- rotation, the credential it replaced is answered again with the same new credentials, kept here
-- encrypted (AES-GCM under the secret-encryption key, as client_secret_jwt secrets are) and never in
-- plain; the credentials themselves stay stored as hashes. All NULL while the leeway is 0 (the default).
-- No index covers these columns, so a rotation stays a heap-only UPDATE on PostgreSQL (V6).

-- The registration access token the last rotation replaced, until when it is still answered, and that
-- rotation's new registration access token and client secret, encrypted. A rotation made with the new
-- token writes its own values over them: from then on the previous one is dead.
ALTER TABLE dynamically_registered_clients ADD COLUMN previous_token_hash VARCHAR(64);
ALTER TABLE dynamically_registered_clients ADD COLUMN previous_token_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE dynamically_registered_clients ADD COLUMN pending_response VARCHAR(1024);

-- A rotated refresh token keeps, until replay_until, the response its rotation gave (the new refresh
-- token and access token), encrypted; the new token names the one it replaced (predecessor_hash), so
-- that its own rotation clears that response in the same transaction.
ALTER TABLE refresh_tokens ADD COLUMN predecessor_hash VARCHAR(64);
ALTER TABLE refresh_tokens ADD COLUMN replay_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE refresh_tokens ADD COLUMN pending_response ${text_type};
