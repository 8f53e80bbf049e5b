-- Dialtone carrier routing in Kamailio's database (PostgreSQL), for Kamailio 5.6.
--
--   psql "host=db.example.com dbname=kamailio user=kamailio" -v ON_ERROR_STOP=1 -f dialtone-schema.sql
--
-- Idempotent: creates what is missing, changes nothing that exists. The table definitions are
-- Kamailio's own (Debian's kamailio-postgres-modules, /usr/share/kamailio/postgres/
-- standard-create.sql, dispatcher-create.sql and htable-create.sql), with IF NOT EXISTS; the
-- htable definition is used under the name dialtone_htable, the table of the dialtone htable.
-- Kamailio needs SELECT on version, dispatcher and dialtone_htable; the control plane needs
-- SELECT, INSERT, UPDATE, DELETE on dispatcher, dialtone_htable and dialtone_owner (and USAGE
-- on their id sequences).

-- Kamailio's table versions (standard-create.sql): each module checks its table's version.
CREATE TABLE IF NOT EXISTS version (
    id SERIAL PRIMARY KEY NOT NULL,
    table_name VARCHAR(32) NOT NULL,
    table_version INTEGER DEFAULT 0 NOT NULL,
    CONSTRAINT version_table_name_idx UNIQUE (table_name)
);
INSERT INTO version (table_name, table_version) VALUES ('version', '1') ON CONFLICT (table_name) DO NOTHING;

-- The dispatcher module's destinations (dispatcher-create.sql, table version 4). Dialtone owns
-- the rows of sets setId .. setId + (numbers with their own chain); each row's attrs record the
-- owner: duid=<region or fallback-N>;role=region|fallback;epoch=<N>;plan=<id>[;did=<number>],
-- and its description is "dialtone set <setId>".
CREATE TABLE IF NOT EXISTS dispatcher (
    id SERIAL PRIMARY KEY NOT NULL,
    setid INTEGER DEFAULT 0 NOT NULL,
    destination VARCHAR(192) DEFAULT '' NOT NULL,
    flags INTEGER DEFAULT 0 NOT NULL,
    priority INTEGER DEFAULT 0 NOT NULL,
    attrs VARCHAR(128) DEFAULT '' NOT NULL,
    description VARCHAR(64) DEFAULT '' NOT NULL
);
INSERT INTO version (table_name, table_version) VALUES ('dispatcher', '4') ON CONFLICT (table_name) DO NOTHING;

-- The dialtone htable (htable-create.sql's definition, table version 2), owned by Dialtone:
-- did:<number> → set id, outbound_blocked → 0|1, ring_parallel → 0|1 (integers, value_type 1).
CREATE TABLE IF NOT EXISTS dialtone_htable (
    id SERIAL PRIMARY KEY NOT NULL,
    key_name VARCHAR(64) DEFAULT '' NOT NULL,
    key_type INTEGER DEFAULT 0 NOT NULL,
    value_type INTEGER DEFAULT 0 NOT NULL,
    key_value VARCHAR(128) DEFAULT '' NOT NULL,
    expires INTEGER DEFAULT 0 NOT NULL
);
INSERT INTO version (table_name, table_version) VALUES ('dialtone_htable', '2') ON CONFLICT (table_name) DO NOTHING;

-- Who wrote the routing of a set: the control plane takes this row by compare-and-set in the
-- same transaction as the rows above, and refuses to write when it holds a newer epoch (a
-- stale leader is fenced by the database itself). Kamailio never reads it.
CREATE TABLE IF NOT EXISTS dialtone_owner (
    set_id INTEGER PRIMARY KEY NOT NULL,
    epoch BIGINT NOT NULL CHECK (epoch >= 0),
    plan_id VARCHAR(64) NOT NULL,
    mode VARCHAR(16) NOT NULL CHECK (mode IN ('routed', 'outage')),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
