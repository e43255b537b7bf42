-- Kontor schema: room calendars (iCalendar feeds and CalDAV collections) and members' e-mail addresses.
-- Like V1, every statement must be harmless when a crash makes it run a second time.

-- A member's e-mail address, lower-cased, to match ORGANIZER / ATTENDEE of a calendar event. Personal data:
-- shown masked in events and replies. At most one member per address.
ALTER TABLE members ADD COLUMN IF NOT EXISTS email VARCHAR(254);
CREATE UNIQUE INDEX IF NOT EXISTS members_email ON members (email);

-- A calendar event that matches no member still books its room: that booking has no member.
ALTER TABLE bookings ALTER COLUMN member_id SET NULL;

-- The last synced state of each room's calendar: one row per booking slot (an event, or one instance of a
-- recurring one), so a calendar server that is down or slow changes nothing at the door. slot is the event's
-- UID plus its RECURRENCE-ID; booking_id is the Kontor booking made from it (null while flagged, i.e. the room
-- was held by a booking made at the door or by command). A walk-up written to the calendar has a row too
-- (walk_up), so it is recognised when it is read back. checked_in_written / cancel_written record what was
-- written back; href names the calendar resource.
CREATE TABLE IF NOT EXISTS calendar_slots (
    room_id             VARCHAR(128) NOT NULL,
    slot                VARCHAR(700) NOT NULL,
    uid                 VARCHAR(600) NOT NULL,
    recurrence_id       TIMESTAMP(3) WITH TIME ZONE,
    starts              TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    ends                TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    member_id           VARCHAR(32),
    booking_id          VARCHAR(32),
    walk_up             BOOLEAN NOT NULL,
    flagged             VARCHAR(32),
    checked_in_written  BOOLEAN NOT NULL,
    cancel_written      BOOLEAN NOT NULL,
    PRIMARY KEY (room_id, slot)
);
CREATE INDEX IF NOT EXISTS calendar_slots_booking ON calendar_slots (booking_id);
