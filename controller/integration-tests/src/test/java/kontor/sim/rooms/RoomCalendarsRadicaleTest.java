package kontor.sim.rooms;

import static kontor.sim.rooms.RoomSite.ACCESSIBLE;
import static kontor.sim.rooms.RoomSite.HOST;
import static kontor.sim.rooms.RoomSite.VISITOR;
import static kontor.sim.rooms.RoomSite.advanceTo;
import static kontor.sim.rooms.RoomSite.instant;
import static kontor.sim.rooms.RoomSite.roomState;
import static kontor.sim.rooms.RoomSite.tap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import kontor.calendars.CalDavClient;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCalendars;
import kontor.site.SiteFiles;
import kontor.testing.Radicale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rooms linked to a real CalDAV server, Debian's Radicale, as {@code kontor demo --caldav} links them: bookings
 * PUT into it the way a booking system does are enforced at the door, what happens at the door is written back,
 * and Radicale stopped changes nothing at the door (docs/rooms-and-entrance.md, "Linked calendars").
 */
class RoomCalendarsRadicaleTest {
    private static final String STRANGER = "someone@elsewhere.example";

    @TempDir
    Path data;
    private Radicale radicale;
    private SiteHarness site;

    @BeforeEach
    void startRadicale() {
        radicale = Radicale.start();
    }

    @AfterEach
    void stop() {
        if (site != null) {
            site.close();
        }
        radicale.close();
    }

    private void startSite(String localStart) {
        String url = radicale.home().toString().replace("://", "://" + Radicale.USER + ":" + Radicale.PASSWORD + "@");
        site = SiteHarness.of(DemoCalendars.link(SiteFiles.demo(), url, data), data, LocalDateTime.parse(localStart));
        sync(); // the collections exist from the first sync on
    }

    /** {@code calendars.sync}: replies once every room's calendar was read (and written back to). */
    private JsonNode sync() {
        JsonNode reply = site.command("calendars.sync", "");
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
        site.settle();
        return reply.path("result").path("rooms");
    }

    private CalDavClient calendar(String room) {
        return new CalDavClient(radicale.home().resolve(room + "/"), Radicale.USER, Radicale.PASSWORD, Duration.ofSeconds(5));
    }

    /** A booking system's PUT of one VEVENT (lines joined with CRLF). */
    private void put(String room, String uid, String... vevent) throws Exception {
        List<String> lines = new ArrayList<>(List.of("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//booking system//EN"));
        lines.addAll(List.of(vevent));
        lines.add("END:VCALENDAR");
        calendar(room).put(calendar(room).resourceFor(uid), String.join("\r\n", lines) + "\r\n", null);
    }

    private static String[] event(String uid, String start, String end, String organizer, String... more) {
        List<String> l = new ArrayList<>(List.of("BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20261101T000000Z",
                "DTSTART;TZID=Europe/Stockholm:" + start, "DTEND;TZID=Europe/Stockholm:" + end, "SUMMARY:Meeting"));
        if (organizer != null) {
            l.add("ORGANIZER:mailto:" + organizer);
        }
        l.addAll(List.of(more));
        l.add("END:VEVENT");
        return l.toArray(String[]::new);
    }

    private String calendarText(String room) throws Exception {
        StringBuilder all = new StringBuilder();
        for (CalDavClient.Resource r : calendar(room).events(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2028-01-01T00:00:00Z"))) {
            all.append(r.icalendar());
        }
        return all.toString();
    }

    private String memberOf(String card) {
        return site.command("member.show", "{\"card\":\"" + card + "\"}").path("result").path("member").asText();
    }

    private List<JsonNode> bookings(String room, String date) {
        JsonNode reply = site.command("bookings.list", "{\"room\":\"" + room + "\",\"date\":\"" + date + "\"}");
        List<JsonNode> out = new ArrayList<>();
        reply.path("result").path("bookings").forEach(out::add);
        return out;
    }

    private List<JsonNode> liveBookings(String room, String date) {
        return bookings(room, date).stream().filter(b -> !b.path("status").asText().equals("released")).toList();
    }

    @Test
    void a_weekly_booking_with_an_exception_is_enforced_at_the_door() throws Exception {
        startSite("2026-12-01T09:00:00");
        // Tuesdays 10–11 for alice, but this Tuesday's meeting moved to 12–13 (a RECURRENCE-ID override).
        String[] master = event("weekly-1", "20261124T100000", "20261124T110000", "alice@example.org",
                "RRULE:FREQ=WEEKLY;COUNT=4");
        String[] moved = event("weekly-1", "20261201T120000", "20261201T130000", "alice@example.org",
                "RECURRENCE-ID;TZID=Europe/Stockholm:20261201T100000");
        List<String> both = new ArrayList<>(List.of(master));
        both.addAll(List.of(moved));
        put("room-1", "weekly-1", both.toArray(String[]::new));
        sync();

        List<JsonNode> today = liveBookings("room-1", "2026-12-01");
        assertThat(today).singleElement().satisfies(b -> {
            assertThat(b.path("start").asText()).isEqualTo("2026-12-01T12:00:00.000+01:00");
            assertThat(b.path("end").asText()).isEqualTo("2026-12-01T13:00:00.000+01:00");
            assertThat(b.path("member").asText()).isEqualTo(memberOf(VISITOR));
        });
        assertThat(liveBookings("room-1", "2026-12-08")).singleElement()
                .satisfies(b -> assertThat(b.path("start").asText()).isEqualTo("2026-12-08T10:00:00.000+01:00"));

        // 10:00, where the series would have been: the room is free and bob may take it on the spot until 12:00.
        advanceTo(site, "2026-12-01T10:00");
        assertThat(tap(site, "reader-room-1", ACCESSIBLE).path("type").asText()).isEqualTo("card.granted");
        assertThat(liveBookings("room-1", "2026-12-01")).filteredOn(b -> b.path("on_the_spot").asBoolean())
                .singleElement().satisfies(b -> assertThat(b.path("end").asText()).isEqualTo("2026-12-01T11:00:00.000+01:00"));

        // 12:00: the booking is alice's. Bob is turned away; alice checks in.
        advanceTo(site, "2026-12-01T12:00");
        JsonNode bob = tap(site, "reader-room-1", ACCESSIBLE);
        assertThat(bob.path("type").asText()).isEqualTo("card.denied");
        assertThat(bob.path("reason").asText()).isEqualTo("room_booked");
        JsonNode alice = tap(site, "reader-room-1", VISITOR);
        assertThat(alice.path("type").asText()).isEqualTo("card.granted");
        assertThat(alice.path("action").asText()).isEqualTo("check_in");
    }

    @Test
    void an_event_that_names_no_member_books_the_room_amber_and_only_a_host_gets_in() throws Exception {
        startSite("2026-12-01T09:00:00");
        put("room-2", "outsider", event("outsider", "20261201T100000", "20261201T110000", STRANGER));
        sync();
        assertThat(liveBookings("room-2", "2026-12-01")).singleElement()
                .satisfies(b -> assertThat(b.path("member").isNull()).isTrue());

        advanceTo(site, "2026-12-01T10:01");
        assertThat(roomState(site, "room-2").path("light").asText()).isEqualTo("amber");
        JsonNode visitor = tap(site, "reader-room-2", VISITOR);
        assertThat(visitor.path("reason").asText()).isEqualTo("room_booked");
        assertThat(tap(site, "reader-room-2", HOST).path("type").asText()).isEqualTo("card.granted");
    }

    @Test
    void a_booking_code_in_the_event_names_the_member() throws Exception {
        startSite("2026-12-01T09:00:00");
        put("room-3", "by-code", event("by-code", "20261201T100000", "20261201T110000", STRANGER,
                "DESCRIPTION:Kontor: " + memberOf(ACCESSIBLE)));
        sync();
        assertThat(liveBookings("room-3", "2026-12-01")).singleElement()
                .satisfies(b -> assertThat(b.path("member").asText()).isEqualTo(memberOf(ACCESSIBLE)));
    }

    @Test
    void a_walk_up_a_check_in_and_a_no_show_are_written_back() throws Exception {
        startSite("2026-12-01T09:00:00");
        put("room-1", "checked", event("checked", "20261201T093000", "20261201T103000", "alice@example.org"));
        put("room-2", "no-show", event("no-show", "20261201T093000", "20261201T103000", "bob@example.org"));
        sync();

        // A walk-up in room 3, alice's check-in in room 1; bob never comes to room 2.
        JsonNode walkUp = tap(site, "reader-room-3", ACCESSIBLE);
        assertThat(walkUp.path("action").asText()).isEqualTo("on_the_spot");
        advanceTo(site, "2026-12-01T09:25");
        assertThat(tap(site, "reader-room-1", VISITOR).path("action").asText()).isEqualTo("check_in");
        advanceTo(site, "2026-12-01T09:40");
        assertThat(site.events("booking.released")).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("no_show"));
        sync();

        String room3 = calendarText("room-3");
        assertThat(room3).contains("SUMMARY:Booked at the door").contains("X-KONTOR-BOOKING:" + walkUp.path("booking").asText())
                .doesNotContain("@example.org");
        assertThat(calendarText("room-1")).contains("X-KONTOR-CHECKED-IN:20261201T082500Z");
        assertThat(calendarText("room-2")).contains("STATUS:CANCELLED");

        // Read back, the walk-up is recognised as Kontor's own: still one booking in room 3.
        sync();
        assertThat(bookings("room-3", "2026-12-01")).hasSize(1);
        // And the cancelled event does not come back as a booking.
        assertThat(liveBookings("room-2", "2026-12-01")).isEmpty();
    }

    @Test
    void an_event_added_over_a_running_walk_up_is_flagged_and_booked_once_the_room_is_free() throws Exception {
        startSite("2026-12-01T09:00:00");
        assertThat(tap(site, "reader-room-1", ACCESSIBLE).path("action").asText()).isEqualTo("on_the_spot");
        RoomSite.motion(site, "pir-room-1", true); // bob's meeting goes on: the walk-up is not released as vacant
        long mark = site.lastSeq();
        put("room-1", "late", event("late", "20261201T093000", "20261201T103000", "alice@example.org"));
        sync();

        JsonNode conflict = site.awaitEvent(mark, "calendar.conflict", e -> true);
        assertThat(conflict.path("device").asText()).isEqualTo("room-1");
        assertThat(site.retained("alarms/calendar.conflict:room-1")).isNotNull();
        advanceTo(site, "2026-12-01T09:35");
        // The walk-up keeps the room: alice has no booking yet.
        assertThat(tap(site, "reader-room-1", VISITOR).path("reason").asText()).isEqualTo("room_booked");

        advanceTo(site, "2026-12-01T10:00"); // the walk-up ends
        sync();
        assertThat(liveBookings("room-1", "2026-12-01")).singleElement().satisfies(b -> {
            assertThat(b.path("member").asText()).isEqualTo(memberOf(VISITOR));
            assertThat(b.path("start").asText()).isEqualTo("2026-12-01T10:00:00.000+01:00");
            assertThat(b.path("end").asText()).isEqualTo("2026-12-01T10:30:00.000+01:00");
        });
        assertThat(site.retained("alarms/calendar.conflict:room-1")).isNull();
        assertThat(tap(site, "reader-room-1", VISITOR).path("action").asText()).isEqualTo("check_in");
    }

    @Test
    void an_event_cancelled_or_removed_in_the_calendar_releases_its_booking() throws Exception {
        startSite("2026-12-01T09:00:00");
        put("room-1", "gone", event("gone", "20261201T100000", "20261201T110000", "alice@example.org"));
        put("room-2", "off", event("off", "20261201T100000", "20261201T110000", "alice@example.org"));
        sync();
        assertThat(liveBookings("room-1", "2026-12-01")).hasSize(1);
        assertThat(liveBookings("room-2", "2026-12-01")).hasSize(1);

        calendar("room-1").delete(calendar("room-1").resourceFor("gone"), null);
        CalDavClient.Resource off = calendar("room-2").events(instant(site, "2026-12-01T00:00"), instant(site, "2026-12-02T00:00")).getFirst();
        calendar("room-2").put(off.href(), off.icalendar().replace("SUMMARY:Meeting", "SUMMARY:Meeting\r\nSTATUS:CANCELLED"), off.etag());
        sync();

        assertThat(liveBookings("room-1", "2026-12-01")).isEmpty();
        assertThat(liveBookings("room-2", "2026-12-01")).isEmpty();
        assertThat(bookings("room-1", "2026-12-01")).singleElement()
                .satisfies(b -> assertThat(b.path("reason").asText()).isEqualTo("cancelled"));
    }

    @Test
    void bookings_across_the_dst_night_keep_their_wall_clock_times() throws Exception {
        // Sunday 25 October 2026: Stockholm goes from 03:00 CEST back to 02:00 CET.
        startSite("2026-10-24T09:00:00");
        put("room-1", "sat", event("sat", "20261017T110000", "20261017T120000", "alice@example.org",
                "RRULE:FREQ=WEEKLY;COUNT=4"));
        put("room-2", "overnight", event("overnight", "20261024T170000", "20261025T110000", "bob@example.org"));
        sync();

        assertThat(liveBookings("room-1", "2026-10-24")).singleElement()
                .satisfies(b -> assertThat(b.path("start").asText()).isEqualTo("2026-10-24T11:00:00.000+02:00"));
        assertThat(liveBookings("room-1", "2026-10-31")).singleElement()
                .satisfies(b -> assertThat(b.path("start").asText()).isEqualTo("2026-10-31T11:00:00.000+01:00"));
        assertThat(liveBookings("room-2", "2026-10-24")).singleElement().satisfies(b -> {
            assertThat(b.path("start").asText()).isEqualTo("2026-10-24T17:00:00.000+02:00");
            assertThat(b.path("end").asText()).isEqualTo("2026-10-25T11:00:00.000+01:00");
            // 18 hours on the wall clock, 19 in fact: the night has one hour more.
            assertThat(Duration.between(OffsetDateTime.parse(b.path("start").asText()),
                    OffsetDateTime.parse(b.path("end").asText()))).isEqualTo(Duration.ofHours(19));
        });

        // At the door: bob's overnight booking is his from 17:00.
        advanceTo(site, "2026-10-24T16:55");
        assertThat(tap(site, "reader-room-2", VISITOR).path("reason").asText()).isEqualTo("room_booked");
        assertThat(tap(site, "reader-room-2", ACCESSIBLE).path("action").asText()).isEqualTo("check_in");
    }

    @Test
    void radicale_stopped_changes_nothing_at_the_door_and_raises_then_clears_the_alarm() throws Exception {
        startSite("2026-12-01T09:00:00");
        put("room-1", "kept", event("kept", "20261201T100000", "20261201T110000", "alice@example.org"));
        sync();

        radicale.stop();
        long mark = site.lastSeq();
        JsonNode rooms = sync();
        assertThat(rooms).anySatisfy(r -> {
            assertThat(r.path("room").asText()).isEqualTo("room-1");
            assertThat(r.path("read").asBoolean()).isFalse();
            assertThat(r.path("reason").asText()).isEqualTo("unreachable");
        });
        assertThat(site.awaitEvent(mark, "calendar.unreachable", e -> e.path("device").asText().equals("room-1"))
                .path("reason").asText()).isEqualTo("unreachable");
        assertThat(site.retained("alarms/calendar.unreachable:room-1")).isNotNull();

        // A minute of outage, polls and all: the door goes by the last synced calendar.
        advanceTo(site, "2026-12-01T10:00");
        assertThat(tap(site, "reader-room-1", ACCESSIBLE).path("reason").asText()).isEqualTo("room_booked");
        assertThat(tap(site, "reader-room-1", VISITOR).path("action").asText()).isEqualTo("check_in");
        assertThat(liveBookings("room-1", "2026-12-01")).hasSize(1);

        radicale.startAgain();
        long back = site.lastSeq();
        sync();
        site.awaitEvent(back, "calendar.reachable", e -> e.path("device").asText().equals("room-1"));
        assertThat(site.retained("alarms/calendar.unreachable:room-1")).isNull();
        assertThat(liveBookings("room-1", "2026-12-01")).hasSize(1);
    }

    @Test
    void the_room_polls_its_calendar_by_itself() throws Exception {
        startSite("2026-12-01T09:00:00");
        put("room-1", "polled", event("polled", "20261201T100000", "20261201T110000", "alice@example.org"));
        site.advance(Duration.ofSeconds(DemoCalendars.POLL_SECONDS));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !site.events("booking.created").isEmpty());
        assertThat(liveBookings("room-1", "2026-12-01")).singleElement()
                .satisfies(b -> assertThat(b.path("member").asText()).isEqualTo(memberOf(VISITOR)));
    }
}
