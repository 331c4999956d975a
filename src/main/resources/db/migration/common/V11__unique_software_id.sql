-- Issue 20 §6: a security profile may allow one registration per software_id (Australia's CDR). The
-- software_id of a client registered under such a profile is kept here, unique; NULL for every other
-- client (a unique index admits any number of NULLs on H2 and PostgreSQL alike). It never changes
-- after the registration, so rotations stay heap-only updates on PostgreSQL (V6).
ALTER TABLE dynamically_registered_clients ADD COLUMN unique_software_id VARCHAR(255);
CREATE UNIQUE INDEX drc_unique_software_id ON dynamically_registered_clients (unique_software_id);
