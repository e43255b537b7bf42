-- Active alarms survive a restart: the retained alarm topics are rebuilt from here, and the
-- services that own an alarm's cause re-check it at start (see kontor.gateway.Alarms).
-- Idempotent statements only (see V1's header).
CREATE TABLE IF NOT EXISTS alarms (
    id         VARCHAR(200) PRIMARY KEY,
    type       VARCHAR(64) NOT NULL,
    device     VARCHAR(128) NOT NULL,
    raised     TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    acked      BOOLEAN NOT NULL,
    acked_by   VARCHAR(128),
    detail     VARCHAR(10000) NOT NULL
);
