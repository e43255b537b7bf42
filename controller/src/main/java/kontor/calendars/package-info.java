/**
 * Room calendars: bookings taken from the iCalendar feeds and CalDAV collections people already use.
 * This package turns calendar text into booking occurrences; it never touches a door itself.
 */
package kontor.calendars;
