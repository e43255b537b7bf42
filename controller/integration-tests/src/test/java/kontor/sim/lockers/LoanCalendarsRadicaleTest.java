package kontor.sim.lockers;

import static kontor.sim.lockers.LockerSites.HOST;
import static kontor.sim.lockers.LockerSites.POOR_VISITOR;
import static kontor.sim.lockers.LockerSites.VISITOR;
import static kontor.sim.rooms.RoomSite.advanceTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import kontor.calendars.CalDavClient;
import kontor.calendars.CalendarWriteBack;
import kontor.device.Signal;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCalendars;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.store.PrivateFiles;
import kontor.testing.Radicale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loan computers booked from a real CalDAV server, Debian's Radicale (docs/loan-computers.md, "Booking by
 * calendar"): the demo's bank {@code loans} linked to {@code URL/loans/} as {@code kontor demo --caldav} links it,
 * events PUT the way a booking system does, the laptops lent through the real drivers on the simulated board.
 */
@ExtendWith(LockerSites.QuickPolling.class)
class LoanCalendarsRadicaleTest {
    private static final String READER = "reader-loan";
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

    private String url() {
        return radicale.home().toString().replace("://", "://" + Radicale.USER + ":" + Radicale.PASSWORD + "@");
    }

    private void startSite(Site site) {
        this.site = SiteHarness.of(DemoCalendars.link(site, url(), data), data, LockerSites.TUESDAY_9);
        sync(); // the collections exist from the first sync on
    }

    /** {@code calendars.sync}: its {@code loans} part, once every calendar was read and written back to. */
    private JsonNode sync() {
        JsonNode reply = site.command("calendars.sync", "");
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
        site.settle();
        return reply.path("result").path("loans");
    }

    private CalDavClient calendar(String collection) {
        return new CalDavClient(radicale.home().resolve(collection + "/"), Radicale.USER, Radicale.PASSWORD,
                Duration.ofSeconds(5));
    }

    /** The time zone as booking systems send it along (Radicale wants it for an EXDATE with a TZID). */
    private static final List<String> STOCKHOLM = List.of("BEGIN:VTIMEZONE", "TZID:Europe/Stockholm",
            "BEGIN:STANDARD", "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD", "BEGIN:DAYLIGHT", "DTSTART:19700329T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT",
            "END:VTIMEZONE");

    /** A booking system's PUT of one VEVENT, 2026-12-01 local times, Stockholm. */
    private void put(String collection, String uid, String from, String to, String organizer, String... more)
            throws Exception {
        List<String> lines = new ArrayList<>(List.of("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//booking system//EN"));
        lines.addAll(STOCKHOLM);
        lines.addAll(List.of("BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20261101T000000Z",
                "DTSTART;TZID=Europe/Stockholm:20261201T" + from.replace(":", "") + "00",
                "DTEND;TZID=Europe/Stockholm:20261201T" + to.replace(":", "") + "00", "SUMMARY:Laptop",
                "ORGANIZER:mailto:" + organizer));
        lines.addAll(List.of(more));
        lines.addAll(List.of("END:VEVENT", "END:VCALENDAR"));
        calendar(collection).put(calendar(collection).resourceFor(uid), String.join("\r\n", lines) + "\r\n", null);
    }

    private List<CalDavClient.Resource> resources(String collection) throws Exception {
        return calendar(collection).events(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2028-01-01T00:00:00Z"));
    }

    private String memberOf(String card) {
        return site.command("member.show", "{\"card\":\"" + card + "\"}").path("result").path("member").asText();
    }

    private List<JsonNode> loans(String date) {
        List<JsonNode> out = new ArrayList<>();
        site.command("loans.list", "{\"date\":\"" + date + "\"}").path("result").path("bookings").forEach(out::add);
        return out;
    }

    private List<JsonNode> booked(String date) {
        return loans(date).stream().filter(b -> b.path("status").asText().equals("booked")).toList();
    }

    private JsonNode tap(String card) {
        long mark = site.lastSeq();
        site.gateway().signal(new Signal.CardPresented(READER, card));
        JsonNode decision = await().atMost(Duration.ofSeconds(10)).until(() -> site.events().stream()
                .filter(e -> e.path("seq").asLong() > mark && e.path("type").asText().startsWith("card.")
                        && e.path("device").asText().equals(READER)).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
        site.settle();
        return decision;
    }

    @Test
    void an_event_in_the_banks_calendar_books_a_laptop_its_member_picks_up_and_the_pick_up_is_written_back()
            throws Exception {
        startSite(SiteFiles.demo());
        // Tuesdays 10–12 for alice, but not next week (EXDATE).
        put("loans", "weekly", "10:00", "12:00", "alice@example.org", "RRULE:FREQ=WEEKLY;COUNT=3",
                "EXDATE;TZID=Europe/Stockholm:20261208T100000");
        sync();

        assertThat(booked("2026-12-01")).singleElement().satisfies(b -> {
            assertThat(b.path("computer").asText()).isEqualTo("loan-01");
            assertThat(b.path("member").asText()).isEqualTo(memberOf(VISITOR));
            assertThat(b.path("source").asText()).isEqualTo("calendar");
            assertThat(b.path("start").asText()).isEqualTo("2026-12-01T10:00:00.000+01:00");
        });
        assertThat(booked("2026-12-08")).isEmpty();
        assertThat(booked("2026-12-15")).hasSize(1);

        // Bob on the spot at 09:30 (for an hour) gets another laptop; at 09:55 alice's tap opens loan-01.
        advanceTo(site, "2026-12-01T09:30");
        assertThat(tap(POOR_VISITOR).path("type").asText()).isEqualTo("card.granted");
        assertThat(site.awaitEvent("loan.started", e -> true).path("device").asText()).isEqualTo("loan-02");
        advanceTo(site, "2026-12-01T09:55");
        assertThat(site.retained("loans/loan-01/state").path("status").asText()).isEqualTo("booked");
        assertThat(tap(VISITOR).path("type").asText()).isEqualTo("card.granted");
        JsonNode started = site.awaitEvent("loan.started", e -> e.path("device").asText().equals("loan-01"));
        assertThat(started.path("member").asText()).isEqualTo(memberOf(VISITOR));

        sync();
        String weekly = resources("loans").stream().map(CalDavClient.Resource::icalendar)
                .filter(t -> t.contains("UID:weekly")).findFirst().orElseThrow();
        assertThat(weekly).contains("X-KONTOR-CHECKED-IN:20261201T085500Z");
        // The rest of the series is untouched: next time is still booked.
        sync();
        assertThat(booked("2026-12-15")).hasSize(1);
    }

    @Test
    void a_loan_on_the_spot_and_a_no_show_are_written_back() throws Exception {
        startSite(SiteFiles.demo());
        put("loans", "no-show", "09:30", "10:30", "bob@example.org");
        sync();
        assertThat(booked("2026-12-01")).singleElement()
                .satisfies(b -> assertThat(b.path("computer").asText()).isEqualTo("loan-01"));

        // Alice on the spot: loan-01 is booked from 09:30, so she gets loan-02.
        tap(VISITOR);
        JsonNode spot = site.awaitEvent("loan.booked", e -> e.path("source").asText().equals("spot"));
        assertThat(spot.path("device").asText()).isEqualTo("loan-02");
        sync(); // written while it runs: a walk-up already over is not written back
        advanceTo(site, "2026-12-01T10:30");
        assertThat(site.events("loan.released")).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("no_show"));
        sync();

        List<CalDavClient.Resource> all = resources("loans");
        assertThat(all).filteredOn(r -> r.icalendar().contains("UID:no-show")).singleElement()
                .satisfies(r -> assertThat(r.icalendar()).contains("STATUS:CANCELLED"));
        assertThat(all).filteredOn(r -> r.icalendar().contains("X-KONTOR-BOOKING:" + spot.path("booking").asText()))
                .singleElement().satisfies(r -> assertThat(r.icalendar()).contains("SUMMARY:Booked at the door")
                        .doesNotContain("@example.org"));

        // Read back, the walk-up is Kontor's own and the cancelled event stays released.
        sync();
        assertThat(loans("2026-12-01")).hasSize(2);
        assertThat(booked("2026-12-01")).isEmpty();
    }

    @Test
    void an_event_moved_after_its_laptop_was_picked_up_keeps_that_loan_and_is_never_cancelled_as_a_no_show()
            throws Exception {
        startSite(SiteFiles.demo());
        put("loans", "moved", "10:00", "11:00", "alice@example.org");
        sync();
        // Bob has loan-01 by command right after: alice's loan cannot grow into it.
        JsonNode bob = site.command("loan.book", "{\"computer\":\"loan-01\",\"card\":\"" + POOR_VISITOR + "\","
                + "\"start\":\"2026-12-01T11:00:00+01:00\",\"end\":\"2026-12-01T12:00:00+01:00\"}");
        assertThat(bob.path("ok").asBoolean()).as(bob.toString()).isTrue();
        advanceTo(site, "2026-12-01T09:55");
        tap(VISITOR);
        assertThat(site.awaitEvent("loan.started", e -> true).path("device").asText()).isEqualTo("loan-01");
        sync();

        // The booking system moves the event's end past bob's start.
        calendar("loans").delete(calendar("loans").resourceFor("moved"), null);
        put("loans", "moved", "10:00", "11:30", "alice@example.org");
        sync();
        assertThat(loans("2026-12-01")).filteredOn(b -> b.path("member").asText().equals(memberOf(VISITOR)))
                .singleElement().satisfies(b -> {
                    assertThat(b.path("computer").asText()).isEqualTo("loan-01");
                    assertThat(b.path("status").asText()).isEqualTo("lent");
                });
        advanceTo(site, "2026-12-01T11:30");
        sync();
        assertThat(site.events("loan.released")).noneSatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("no_show"));
        assertThat(resources("loans")).filteredOn(r -> r.icalendar().contains("UID:moved")).singleElement()
                .satisfies(r -> assertThat(r.icalendar()).doesNotContain("STATUS:CANCELLED"));
    }

    @Test
    void events_over_each_other_take_other_laptops_one_too_many_is_flagged_and_booked_once_one_is_free()
            throws Exception {
        startSite(SiteFiles.demo());
        put("loans", "a", "10:00", "11:00", "alice@example.org");
        put("loans", "b", "10:00", "11:00", "bob@example.org");
        put("loans", "c", "10:00", "11:00", "host@example.org");
        put("loans", "d", "10:00", "11:00", STRANGER);
        sync();
        assertThat(booked("2026-12-01")).extracting(b -> b.path("computer").asText())
                .containsExactlyInAnyOrder("loan-01", "loan-02", "loan-03", "loan-04");
        // The stranger's event names no member: it still holds a laptop. Its loan.booked has no member field
        // (an event leaves out a field without a value); loans.list says null.
        assertThat(booked("2026-12-01")).filteredOn(b -> b.path("member").isNull()).hasSize(1);
        assertThat(site.events("loan.booked")).filteredOn(e -> !e.has("member")).hasSize(1);

        long mark = site.lastSeq();
        put("loans", "e", "10:30", "11:00", "alice@example.org");
        sync();
        JsonNode conflict = site.awaitEvent(mark, "calendar.conflict", e -> true);
        assertThat(conflict.path("device").asText()).isEqualTo("loans");
        assertThat(site.retained("alarms/calendar.conflict:loans")).isNotNull();
        assertThat(booked("2026-12-01")).hasSize(4);

        // The stranger's event is cancelled in the booking system: its laptop goes to the flagged event.
        calendar("loans").delete(calendar("loans").resourceFor("d"), null);
        sync();
        assertThat(site.events("loan.released")).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("cancelled"));
        assertThat(booked("2026-12-01")).hasSize(4).filteredOn(b -> b.path("start").asText().startsWith("2026-12-01T10:30"))
                .singleElement().satisfies(b -> assertThat(b.path("member").asText()).isEqualTo(memberOf(VISITOR)));
        assertThat(site.retained("alarms/calendar.conflict:loans")).isNull();
    }

    @Test
    void a_computer_out_of_service_is_booked_by_the_banks_calendar_only_when_no_other_is_free() throws Exception {
        startSite(SiteFiles.demo());
        site.command("loan.service", "{\"computer\":\"loan-01\",\"in_service\":false}");
        put("loans", "a", "10:00", "11:00", "alice@example.org");
        sync();
        assertThat(booked("2026-12-01")).singleElement()
                .satisfies(b -> assertThat(b.path("computer").asText()).isEqualTo("loan-02"));
        put("loans", "b", "10:00", "11:00", "bob@example.org");
        put("loans", "c", "10:00", "11:00", "host@example.org");
        put("loans", "d", "10:00", "11:00", STRANGER);
        sync();
        assertThat(booked("2026-12-01")).extracting(b -> b.path("computer").asText())
                .containsExactlyInAnyOrder("loan-01", "loan-02", "loan-03", "loan-04");
        // loan.book never takes it.
        assertThat(site.command("loan.book", "{\"computer\":\"loan-01\",\"card\":\"" + HOST + "\","
                + "\"start\":\"2026-12-01T12:00:00+01:00\",\"end\":\"2026-12-01T13:00:00+01:00\"}")
                .path("error").path("code").asText()).isEqualTo("conflict");
    }

    @Test
    void an_event_added_over_a_loan_made_on_the_spot_waits_until_the_laptop_is_back() throws Exception {
        Site one = SiteFiles.parse("one-laptop.yaml", LockerSites.demoYaml()
                .replaceAll("(?s)      - id: loan-02\n.*?(?=\nrooms:)", "\n"));
        startSite(one);
        tap(VISITOR); // loan-01 on the spot until 10:00
        put("loans", "late", "09:30", "10:30", "bob@example.org");
        long mark = site.lastSeq();
        sync();
        assertThat(site.awaitEvent(mark, "calendar.conflict", e -> true).path("held_by").asText())
                .isEqualTo(site.events("loan.started").getFirst().path("booking").asText());
        assertThat(booked("2026-12-01")).isEmpty();
    }

    @Test
    void a_loan_on_the_spot_the_server_stored_though_its_write_was_not_recorded_is_read_back_as_our_own()
            throws Exception {
        Site one = SiteFiles.parse("one-laptop.yaml", LockerSites.demoYaml()
                .replaceAll("(?s)      - id: loan-02\n.*?(?=\nrooms:)", "\n"));
        startSite(one);
        tap(VISITOR); // loan-01 on the spot until 10:00
        JsonNode spot = site.awaitEvent("loan.booked", e -> e.path("source").asText().equals("spot"));
        String booking = spot.path("booking").asText();
        // Kontor's PUT of it reached Radicale, but its answer did not reach Kontor (a timeout): not recorded.
        String uid = CalendarWriteBack.walkUpUid(booking, one.id());
        String event = new CalendarWriteBack(one.zone()).walkUp(uid, booking,
                OffsetDateTime.parse(spot.path("start").asText()).toInstant(),
                OffsetDateTime.parse(spot.path("end").asText()).toInstant(), site.now());
        calendar("loans").put(calendar("loans").resourceFor(uid), event, null);

        long mark = site.lastSeq();
        assertThat(sync()).singleElement().satisfies(r -> assertThat(r.path("reason").isMissingNode()).isTrue());
        sync();
        assertThat(site.events("calendar.conflict")).filteredOn(e -> e.path("seq").asLong() > mark).isEmpty();
        assertThat(site.retained("alarms/calendar.conflict:loans")).isNull();
        assertThat(loans("2026-12-01")).singleElement()
                .satisfies(b -> assertThat(b.path("id").asText()).isEqualTo(booking));
        assertThat(resources("loans")).singleElement()
                .satisfies(r -> assertThat(r.icalendar()).contains(CalendarWriteBack.BOOKING_PROPERTY + ":" + booking));
    }

    @Test
    void a_computer_with_a_calendar_of_its_own_is_booked_from_it_and_not_from_the_banks() throws Exception {
        Path password = data.resolve("loan-04.password");
        PrivateFiles.create(password);
        Files.writeString(password, Radicale.PASSWORD, StandardCharsets.UTF_8);
        String own = "        calendar: {caldav: \"" + radicale.home() + "loan-04/\", username: " + Radicale.USER
                + ", password_file: \"" + password + "\"}\n";
        String yaml = LockerSites.demoYaml().replace(
                "        charged: {mcp23017: {bus: 1, address: 0x25, pin: 11}}\n",
                "        charged: {mcp23017: {bus: 1, address: 0x25, pin: 11}}\n" + own);
        assertThat(yaml).contains(own);
        startSite(SiteFiles.parse("own-calendar.yaml", yaml));
        assertThat(sync()).anySatisfy(r -> {
            assertThat(r.path("computer").asText()).isEqualTo("loan-04");
            assertThat(r.path("read").asBoolean()).isTrue();
        });

        put("loan-04", "mine", "10:00", "11:00", "alice@example.org");
        for (String uid : new String[] {"x1", "x2", "x3", "x4"}) {
            put("loans", uid, "10:00", "11:00", STRANGER);
        }
        sync();
        List<JsonNode> booked = booked("2026-12-01");
        assertThat(booked).filteredOn(b -> b.path("computer").asText().equals("loan-04")).singleElement()
                .satisfies(b -> assertThat(b.path("member").asText()).isEqualTo(memberOf(VISITOR)));
        // The bank's calendar books loan-01 … loan-03 only: its fourth event is flagged.
        assertThat(booked).hasSize(4);
        assertThat(site.retained("alarms/calendar.conflict:loans")).isNotNull();
    }

    @Test
    void radicale_stopped_changes_nothing_at_the_bank_and_raises_then_clears_the_alarm() throws Exception {
        startSite(SiteFiles.demo());
        put("loans", "kept", "10:00", "11:00", "alice@example.org");
        sync();

        radicale.stop();
        long mark = site.lastSeq();
        assertThat(sync()).anySatisfy(r -> {
            assertThat(r.path("bank").asText()).isEqualTo("loans");
            assertThat(r.path("read").asBoolean()).isFalse();
            assertThat(r.path("reason").asText()).isEqualTo("unreachable");
        });
        site.awaitEvent(mark, "calendar.unreachable", e -> e.path("device").asText().equals("loans"));
        assertThat(site.retained("alarms/calendar.unreachable:loans")).isNotNull();

        // A minute and more of outage, polls and all: the bank goes by the last synced calendar.
        advanceTo(site, "2026-12-01T10:00");
        assertThat(tap(VISITOR).path("type").asText()).isEqualTo("card.granted");
        assertThat(site.awaitEvent("loan.started", e -> true).path("device").asText()).isEqualTo("loan-01");

        radicale.startAgain();
        long back = site.lastSeq();
        sync();
        site.awaitEvent(back, "calendar.reachable", e -> e.path("device").asText().equals("loans"));
        assertThat(site.retained("alarms/calendar.unreachable:loans")).isNull();
        assertThat(tap(HOST).path("type").asText()).as("the rest of the bank still lends").isEqualTo("card.granted");
    }

    @Test
    void an_event_of_a_member_loan_book_refuses_holds_no_laptop_and_is_flagged_saying_why() throws Exception {
        startSite(SiteFiles.demo());
        // Carol's card is valid until 10:30: loan.book refuses her 10:00–11:00, and so does her calendar.
        String carol = site.command("card.enroll", "{\"card\":\"04A1B2C3D4E5F0\","
                + "\"valid_until\":\"2026-12-01T10:30:00+01:00\"}").path("result").path("member").asText();
        site.command("member.email", "{\"member\":\"" + carol + "\",\"email\":\"carol@example.org\"}");
        assertThat(site.command("loan.book", "{\"bank\":\"loans\",\"member\":\"" + carol + "\","
                + "\"start\":\"2026-12-01T10:00:00+01:00\",\"end\":\"2026-12-01T11:00:00+01:00\"}")
                .path("error").path("code").asText()).isEqualTo("denied");
        put("loans", "expired", "10:00", "11:00", "carol@example.org");
        // Alice's card is revoked: her event does not hold a laptop for nobody either.
        site.command("card.revoke", "{\"card\":\"" + VISITOR + "\"}");
        put("loans", "revoked", "10:00", "11:00", "alice@example.org");
        long mark = site.lastSeq();
        sync();

        assertThat(loans("2026-12-01")).isEmpty();
        assertThat(site.events("calendar.conflict")).filteredOn(e -> e.path("seq").asLong() > mark)
                .extracting(e -> e.path("held_by").asText())
                .containsExactlyInAnyOrder("member_expired", "member_revoked");
        assertThat(site.retained("alarms/calendar.conflict:loans").path("held_by").asText()).startsWith("member_");
        // Told once; read again, still nothing is booked.
        sync();
        assertThat(site.events("calendar.conflict")).filteredOn(e -> e.path("seq").asLong() > mark).hasSize(2);
        assertThat(loans("2026-12-01")).isEmpty();
        // At 10:00 Carol's card is still valid, but no laptop is hers to pick up.
        advanceTo(site, "2026-12-01T09:55");
        assertThat(site.retained("loans/loan-01/state").path("status").asText()).isNotEqualTo("booked");
    }

    @Test
    void a_calendar_read_but_not_applied_here_raises_an_alarm_cleared_by_the_next_good_sync() throws Exception {
        startSite(SiteFiles.demo());
        put("loans", "later", "10:00", "11:00", "alice@example.org");
        // A database error on the site side of the sync: the table of the synced calendars is gone.
        slotsTable("calendar_slots", "calendar_slots_away");
        long mark = site.lastSeq();
        assertThat(sync()).anySatisfy(r -> {
            assertThat(r.path("bank").asText()).isEqualTo("loans");
            assertThat(r.path("read").asBoolean()).isTrue();
            assertThat(r.path("reason").asText()).isEqualTo("apply_failed");
        });
        assertThat(site.awaitEvent(mark, "calendar.apply_failed", e -> e.path("device").asText().equals("loans"))
                .path("reason").asText()).isEqualTo("database");
        assertThat(site.retained("alarms/calendar.apply_failed:loans").path("reason").asText()).isEqualTo("database");
        assertThat(booked("2026-12-01")).isEmpty();
        // Raised once, not at every failing poll.
        sync();
        assertThat(site.events("calendar.apply_failed").stream().filter(e -> e.path("device").asText().equals("loans")))
                .hasSize(1);

        slotsTable("calendar_slots_away", "calendar_slots");
        assertThat(sync()).anySatisfy(r -> assertThat(r.path("reason").isMissingNode() || r.path("reason").isNull())
                .as(r.toString()).isTrue());
        assertThat(site.retained("alarms/calendar.apply_failed:loans")).isNull();
        assertThat(booked("2026-12-01")).hasSize(1);
    }

    private void slotsTable(String from, String to) {
        site.gateway().context().db().inTransaction(tx -> {
            try (var s = tx.connection().createStatement()) {
                s.execute("ALTER TABLE " + from + " RENAME TO " + to);
            }
            return null;
        });
    }

    @Test
    void a_published_feed_books_the_bank_read_only(@TempDir Path www) throws Exception {
        String feed = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//LibreBooking//EN", "BEGIN:VEVENT",
                "UID:lb-laptop-1", "DTSTAMP:20261101T000000Z", "DTSTART:20261201T090000Z", "DTEND:20261201T100000Z",
                "SUMMARY:Laptop", "ORGANIZER;CN=Bob:mailto:Bob@Example.org", "END:VEVENT", "END:VCALENDAR", "");
        Files.writeString(www.resolve("laptops.ics"), feed);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.SimpleFileServer.createFileServer(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), www,
                com.sun.net.httpserver.SimpleFileServer.OutputLevel.NONE);
        server.start();
        try {
            Site demo = SiteFiles.demo();
            var banks = demo.loanBanks().stream().map(b -> b.withCalendar(new kontor.site.CalendarSpec(
                    kontor.site.CalendarSpec.Kind.ICS, java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/laptops.ics"), null, null, Duration.ofSeconds(60)))).toList();
            Site linked = new Site(demo.id(), demo.name(), demo.zone(), demo.capacity(), demo.currency(),
                    demo.minorUnitDigits(), demo.hours(), demo.policy(), demo.mqtt(), demo.devices(), demo.lockerBanks(),
                    demo.rooms(), demo.entrance(), demo.fireInput(), demo.homeAssistant(), demo.coap(), demo.http(),
                    demo.fleet(), banks);
            site = SiteHarness.of(linked, data, LockerSites.TUESDAY_9);
            JsonNode loans = sync();
            assertThat(loans).singleElement().satisfies(r -> {
                assertThat(r.path("bank").asText()).isEqualTo("loans");
                assertThat(r.path("read").asBoolean()).isTrue();
            });
            assertThat(booked("2026-12-01")).singleElement()
                    .satisfies(b -> assertThat(b.path("member").asText()).isEqualTo(memberOf(POOR_VISITOR)));

            advanceTo(site, "2026-12-01T09:55");
            tap(POOR_VISITOR);
            assertThat(site.awaitEvent("loan.started", e -> true).path("device").asText()).isEqualTo("loan-01");
            assertThat(sync()).singleElement().satisfies(r -> assertThat(r.path("written").asInt()).isZero());
            assertThat(Files.readString(www.resolve("laptops.ics"))).isEqualTo(feed);
        } finally {
            server.stop(0);
        }
    }
}
