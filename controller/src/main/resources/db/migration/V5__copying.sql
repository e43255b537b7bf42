-- Kontor schema, version 5: copier sessions. Like V1, every statement must be harmless when a crash
-- makes it run a second time.

-- One row per copier session. ended_at is null while the enable line may be on; a row still open at
-- start-up was cut short by a crash or power cut and is ended with reason 'restart'. summarized is set
-- once copier.session_ended is journaled (after the grace period for late pulses).
CREATE TABLE IF NOT EXISTS copier_sessions (
    session_id      VARCHAR(36) PRIMARY KEY,
    copier_id       VARCHAR(128) NOT NULL,
    member_id       VARCHAR(32) NOT NULL REFERENCES members (id),
    started_at      TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    pages           INT NOT NULL,
    amount          BIGINT NOT NULL,
    uncharged_pages INT NOT NULL,
    ended_at        TIMESTAMP(3) WITH TIME ZONE,
    reason          VARCHAR(32),
    summarized      BOOLEAN NOT NULL
);
CREATE INDEX IF NOT EXISTS copier_sessions_open ON copier_sessions (summarized);
