-- Kontor schema, version 3: meeting-room bookings.
-- Every statement must be harmless the second time (see V1's header). Times are UTC.

-- A booking is live while released IS NULL; released_reason then says why it ended
-- (ended, no_show, vacant, cancelled, closing). Released bookings are kept: they count towards a
-- member's bookings of the day (except cancelled ones) and show in bookings.list for that date.
CREATE TABLE IF NOT EXISTS bookings (
    id               VARCHAR(32) PRIMARY KEY,
    room_id          VARCHAR(128) NOT NULL,
    member_id        VARCHAR(32) NOT NULL REFERENCES members (id),
    starts           TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    ends             TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    on_the_spot      BOOLEAN NOT NULL,
    checked_in       TIMESTAMP(3) WITH TIME ZONE,
    released         TIMESTAMP(3) WITH TIME ZONE,
    released_reason  VARCHAR(16),
    created          TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    CHECK (ends > starts)
);
CREATE INDEX IF NOT EXISTS bookings_room_starts ON bookings (room_id, starts);
CREATE INDEX IF NOT EXISTS bookings_member_starts ON bookings (member_id, starts);
CREATE INDEX IF NOT EXISTS bookings_live ON bookings (released, room_id);
