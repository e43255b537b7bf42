-- Kontor schema: loan computers (laptops in the bays of a charging locker) and their bookings.
-- Like V1, every statement must be harmless when a crash makes it run a second time.

-- One row per loan computer of the site file; out of service is kept apart from its bookings.
CREATE TABLE IF NOT EXISTS loan_computers (
    computer_id  VARCHAR(128) PRIMARY KEY,
    in_service   BOOLEAN NOT NULL
);

-- A booking of one loan computer, and the loan it becomes: status booked (not yet picked up), lent (its
-- holder took the laptop at started), returned (back at ended), cancelled, or no_show (never picked up by its
-- end). Who booked is stored, never published. deposit_key names the ledger hold while a deposit is held.
-- source says where the booking came from (command, spot; a linked calendar later) and source_ref its key there.
CREATE TABLE IF NOT EXISTS loan_bookings (
    id           VARCHAR(64) PRIMARY KEY,
    computer_id  VARCHAR(128) NOT NULL,
    member_id    VARCHAR(32) NOT NULL REFERENCES members (id),
    start_ts     TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    end_ts       TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    status       VARCHAR(16) NOT NULL,
    source       VARCHAR(16) NOT NULL,
    source_ref   VARCHAR(300),
    started      TIMESTAMP(3) WITH TIME ZONE,
    ended        TIMESTAMP(3) WITH TIME ZONE,
    deposit_key  VARCHAR(300),
    created      TIMESTAMP(3) WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS loan_bookings_computer ON loan_bookings (computer_id, status);
CREATE INDEX IF NOT EXISTS loan_bookings_member ON loan_bookings (member_id, status);
