-- Counters of guesses at a secret: passwords at the login page, client secrets at the token
-- endpoint. key_hash is the HMAC of what is counted: an account or client id, a source address, or
-- a pair of both. last_failure times the growing delay between attempts; window_start opens the
-- window after which the counter starts over. They replace login_failures, whose counts (failures
-- per account and per address, no delays) meant nothing to the new rules; dropping them costs a
-- guesser at most one fresh window at the upgrade.
DROP TABLE login_failures;

CREATE TABLE failure_counters (
    key_hash     VARCHAR(64) NOT NULL PRIMARY KEY,
    failures     INTEGER     NOT NULL,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    last_failure TIMESTAMP WITH TIME ZONE NOT NULL
);
