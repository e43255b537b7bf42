-- Kontor schema: loan computers booked from linked calendars (docs/loan-computers.md, "Booking by calendar").
-- Like V1, every statement must be harmless when a crash makes it run a second time.

-- A calendar event that names no member still books a laptop (held for whoever a host gives it to): no member.
ALTER TABLE loan_bookings ALTER COLUMN member_id SET NULL;

-- calendar_slots.room_id now holds the id of whatever the calendar books (a room, a loan bank or a loan
-- computer; site-file ids are unique across kinds). A loan booking's id is a UUID: wider booking columns.
ALTER TABLE calendar_slots ALTER COLUMN booking_id SET DATA TYPE VARCHAR(64);
ALTER TABLE calendar_slots ALTER COLUMN flagged SET DATA TYPE VARCHAR(64);
