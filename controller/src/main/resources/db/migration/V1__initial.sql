-- Kontor schema, version 1.
-- H2 commits after each DDL statement, so a migration may be cut short by a crash and run again:
-- every statement here must be harmless the second time (IF NOT EXISTS, guarded inserts).
-- Times are stored as TIMESTAMP WITH TIME ZONE in UTC; the site's zone is applied only on output.

-- The event journal: seq is gap-free and strictly increasing, allocated from journal_seq.
CREATE TABLE IF NOT EXISTS events (
    seq     BIGINT PRIMARY KEY,
    ts      TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    type    VARCHAR(64) NOT NULL,
    device  VARCHAR(128),
    fields  VARCHAR(100000) NOT NULL
);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);

-- One row: the last seq handed out. Appenders lock this row, which serialises them until their commit.
CREATE TABLE IF NOT EXISTS journal_seq (
    id        TINYINT PRIMARY KEY CHECK (id = 1),
    last_seq  BIGINT NOT NULL
);
INSERT INTO journal_seq (id, last_seq) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM journal_seq);

-- One row: every event up to published_seq was acknowledged by the broker. Separate from journal_seq
-- so that the publisher never waits for an appender's lock.
CREATE TABLE IF NOT EXISTS publication (
    id             TINYINT PRIMARY KEY CHECK (id = 1),
    published_seq  BIGINT NOT NULL
);
INSERT INTO publication (id, published_seq) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM publication);

-- Members are pseudonymous: the id is random and never derived from a card.
CREATE TABLE IF NOT EXISTS members (
    id           VARCHAR(32) PRIMARY KEY,
    role         VARCHAR(16) NOT NULL CHECK (role IN ('visitor', 'host', 'admin')),
    accessible   BOOLEAN NOT NULL,
    valid_until  TIMESTAMP(3) WITH TIME ZONE,
    revoked      BOOLEAN NOT NULL,
    enrolled     TIMESTAMP(3) WITH TIME ZONE NOT NULL
);

-- A card is kept only as the keyed hash of its normalised form, plus its last four characters for display.
CREATE TABLE IF NOT EXISTS cards (
    card_hash  CHAR(64) PRIMARY KEY,
    member_id  VARCHAR(32) NOT NULL REFERENCES members (id),
    last4      VARCHAR(4) NOT NULL,
    enrolled   TIMESTAMP(3) WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS cards_member ON cards (member_id);

-- Idempotent commands: the first reply to (command, id) is given again to a repeated request.
CREATE TABLE IF NOT EXISTS command_replies (
    command     VARCHAR(64) NOT NULL,
    request_id  VARCHAR(256) NOT NULL,
    reply       VARBINARY(1000000) NOT NULL,
    created     TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (command, request_id)
);
CREATE INDEX IF NOT EXISTS command_replies_created ON command_replies (created);

-- Small facts about the site that must survive a restart (e.g. the last known fire state).
CREATE TABLE IF NOT EXISTS site_state (
    state_key    VARCHAR(128) PRIMARY KEY,
    state_value  VARCHAR(10000) NOT NULL,
    updated      TIMESTAMP(3) WITH TIME ZONE NOT NULL
);
