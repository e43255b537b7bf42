package kontor.sim.rooms;

import static kontor.sim.rooms.RoomSite.ACCESSIBLE;
import static kontor.sim.rooms.RoomSite.HOST;
import static kontor.sim.rooms.RoomSite.VISITOR;
import static kontor.sim.rooms.RoomSite.advanceTo;
import static kontor.sim.rooms.RoomSite.book;
import static kontor.sim.rooms.RoomSite.booked;
import static kontor.sim.rooms.RoomSite.iso;
import static kontor.sim.rooms.RoomSite.roomState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** room.book, booking.cancel, bookings.list and the booking rules (Tuesday 1 December 2026, 09:00). */
class BookingsTest {
    @TempDir
    Path data;
    SiteHarness site;

    @BeforeEach
    void start() {
        site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T09:00:00"));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void a_host_books_a_room_for_a_member_and_the_booking_is_journaled() {
        JsonNode reply = book(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");

        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
        JsonNode booking = reply.path("result").path("booking");
        assertThat(booking.path("room").asText()).isEqualTo("room-1");
        assertThat(booking.path("start").asText()).isEqualTo("2026-12-01T10:00:00.000+01:00");
        assertThat(booking.path("end").asText()).isEqualTo("2026-12-01T11:00:00.000+01:00");
        assertThat(booking.path("checked_in").asBoolean()).isFalse();
        JsonNode created = site.events("booking.created").getFirst();
        assertThat(created.path("device").asText()).isEqualTo("room-1");
        assertThat(created.path("booking").asText()).isEqualTo(booking.path("id").asText());
        assertThat(created.path("on_the_spot").asBoolean()).isFalse();
        assertThat(roomState(site, "room-1").path("next").path("start").asText()).isEqualTo("2026-12-01T10:00:00.000+01:00");
    }

    @Test
    void overlapping_bookings_are_a_conflict() {
        booked(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");

        JsonNode reply = book(site, "room-1", ACCESSIBLE, "2026-12-01T10:30", "2026-12-01T11:30");

        assertThat(reply.path("error").path("code").asText()).isEqualTo("conflict");
        assertThat(reply.path("error").path("message").asText()).contains("already booked");
        assertThat(book(site, "room-2", ACCESSIBLE, "2026-12-01T10:30", "2026-12-01T11:30").path("ok").asBoolean())
                .as("another room is free").isTrue();
        assertThat(book(site, "room-1", ACCESSIBLE, "2026-12-01T11:00", "2026-12-01T12:00").path("ok").asBoolean())
                .as("back to back is no overlap").isTrue();
    }

    @Test
    void a_booking_longer_than_four_hours_is_denied_naming_the_rule() {
        JsonNode reply = book(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T14:01");

        assertThat(reply.path("error").path("code").asText()).isEqualTo("denied");
        assertThat(reply.path("error").path("message").asText()).contains("max_booking_length").contains("4h");
        assertThat(book(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T14:00").path("ok").asBoolean()).isTrue();
    }

    @Test
    void a_member_may_hold_two_bookings_a_day() {
        booked(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");
        booked(site, "room-2", VISITOR, "2026-12-01T12:00", "2026-12-01T13:00");

        JsonNode third = book(site, "room-3", VISITOR, "2026-12-01T15:00", "2026-12-01T16:00");

        assertThat(third.path("error").path("code").asText()).isEqualTo("denied");
        assertThat(third.path("error").path("message").asText()).contains("bookings_per_member_per_day");
        assertThat(book(site, "room-3", VISITOR, "2026-12-02T15:00", "2026-12-02T16:00").path("ok").asBoolean())
                .as("the next day counts afresh").isTrue();
    }

    @Test
    void a_cancelled_booking_does_not_count_towards_the_daily_limit() {
        String first = booked(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");
        booked(site, "room-2", VISITOR, "2026-12-01T12:00", "2026-12-01T13:00");
        site.command("booking.cancel", "{\"booking\":\"" + first + "\"}");

        assertThat(book(site, "room-3", VISITOR, "2026-12-01T15:00", "2026-12-01T16:00").path("ok").asBoolean()).isTrue();
    }

    @Test
    void bookings_more_than_fourteen_days_ahead_are_denied() {
        assertThat(book(site, "room-1", VISITOR, "2026-12-15T10:00", "2026-12-15T11:00").path("ok").asBoolean()).isTrue();

        JsonNode reply = book(site, "room-1", VISITOR, "2026-12-16T10:00", "2026-12-16T11:00");

        assertThat(reply.path("error").path("code").asText()).isEqualTo("denied");
        assertThat(reply.path("error").path("message").asText()).contains("booking_days_ahead");
    }

    @Test
    void bookings_outside_opening_hours_are_denied() {
        JsonNode late = book(site, "room-1", VISITOR, "2026-12-01T21:30", "2026-12-01T22:30");
        JsonNode weekend = book(site, "room-1", VISITOR, "2026-12-05T09:00", "2026-12-05T11:00");

        assertThat(late.path("error").path("code").asText()).isEqualTo("denied");
        assertThat(late.path("error").path("message").asText()).contains("opening hours on 2026-12-01: 08:00-22:00");
        assertThat(weekend.path("error").path("message").asText()).contains("opening hours on 2026-12-05: 10:00-18:00");
        assertThat(site.events("booking.created")).isEmpty();
    }

    @Test
    void bad_requests_change_nothing() {
        assertThat(book(site, "room-9", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00").path("error").path("code").asText())
                .isEqualTo("not_found");
        assertThat(book(site, "room-1", "0DDBA11C", "2026-12-01T10:00", "2026-12-01T11:00").path("error").path("code").asText())
                .isEqualTo("not_found");
        assertThat(book(site, "room-1", VISITOR, "2026-12-01T11:00", "2026-12-01T10:00").path("error").path("code").asText())
                .isEqualTo("bad_request");
        assertThat(book(site, "room-1", VISITOR, "2026-12-01T08:00", "2026-12-01T10:00").path("error").path("message").asText())
                .contains("past");
        assertThat(site.command("room.book", "{\"room\":\"room-1\",\"card\":\"" + VISITOR + "\",\"start\":\"10:00\",\"end\":\"11:00\"}")
                .path("error").path("code").asText()).isEqualTo("bad_request");
        assertThat(site.command("room.book", "{\"room\":\"room-1\",\"start\":\"" + iso(site, "2026-12-01T10:00")
                + "\",\"end\":\"" + iso(site, "2026-12-01T11:00") + "\"}").path("error").path("code").asText()).isEqualTo("bad_request");
        assertThat(site.command("room.book", "{\"room\":\"room-1\",\"card\":\"04A1B2C3D4E5FF\",\"start\":\"" + iso(site, "2026-12-01T10:00")
                + "\",\"end\":\"" + iso(site, "2026-12-01T11:00") + "\"}").path("error").path("code").asText())
                .as("a revoked card").isEqualTo("denied");
        assertThat(site.events("booking.created")).isEmpty();
    }

    @Test
    void a_host_cancels_a_booking_and_the_room_is_free_again() {
        String id = booked(site, "room-1", VISITOR, "2026-12-01T09:10", "2026-12-01T10:00");
        assertThat(roomState(site, "room-1").path("status").asText()).isEqualTo("booked");

        JsonNode reply = site.command("booking.cancel", "{\"booking\":\"" + id + "\"}");

        assertThat(reply.path("ok").asBoolean()).isTrue();
        JsonNode released = site.events("booking.released").getFirst();
        assertThat(released.path("booking").asText()).isEqualTo(id);
        assertThat(released.path("reason").asText()).isEqualTo("cancelled");
        assertThat(roomState(site, "room-1").path("status").asText()).isEqualTo("free");
        assertThat(site.command("booking.cancel", "{\"booking\":\"" + id + "\"}").path("error").path("code").asText()).isEqualTo("conflict");
        assertThat(site.command("booking.cancel", "{\"booking\":\"bk-nothing\"}").path("error").path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void bookings_list_by_room_and_date_shows_released_ones_with_their_reason() {
        String a = booked(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");
        String b = booked(site, "room-2", ACCESSIBLE, "2026-12-01T10:00", "2026-12-01T11:00");
        String c = booked(site, "room-1", HOST, "2026-12-02T10:00", "2026-12-02T11:00");
        site.command("booking.cancel", "{\"booking\":\"" + a + "\"}");

        JsonNode room1Today = site.command("bookings.list", "{\"room\":\"room-1\",\"date\":\"2026-12-01\"}").path("result").path("bookings");
        JsonNode upcoming = site.command("bookings.list", "").path("result").path("bookings");

        assertThat(room1Today).hasSize(1);
        assertThat(room1Today.get(0).path("id").asText()).isEqualTo(a);
        assertThat(room1Today.get(0).path("status").asText()).isEqualTo("released");
        assertThat(room1Today.get(0).path("reason").asText()).isEqualTo("cancelled");
        assertThat(upcoming.findValuesAsText("id")).containsExactly(b, c);
        assertThat(site.command("bookings.list", "{\"room\":\"room-7\"}").path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(site.command("bookings.list", "{\"date\":\"1 Dec\"}").path("error").path("code").asText()).isEqualTo("bad_request");
    }

    @Test
    void member_show_lists_the_members_bookings() {
        String id = booked(site, "room-3", VISITOR, "2026-12-01T13:00", "2026-12-01T14:00");

        JsonNode shown = site.command("member.show", "{\"card\":\"" + VISITOR + "\"}").path("result");

        assertThat(shown.path("bookings")).hasSize(1);
        assertThat(shown.path("bookings").get(0).path("id").asText()).isEqualTo(id);
        assertThat(shown.path("bookings").get(0).path("room").asText()).isEqualTo("room-3");
    }

    @Test
    void bookings_and_their_timers_survive_a_restart(@TempDir Path other) {
        String id = booked(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");
        site.close();

        site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T09:50:00"));
        assertThat(roomState(site, "room-1").path("booking").path("id").asText()).isEqualTo(id);
        advanceTo(site, "2026-12-01T10:10");

        JsonNode released = site.events("booking.released").getFirst();
        assertThat(released.path("booking").asText()).isEqualTo(id);
        assertThat(released.path("reason").asText()).isEqualTo("no_show");
    }

    @Test
    void a_no_show_missed_while_the_gateway_was_down_is_released_at_start() {
        String id = booked(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");
        site.close();

        site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T10:30:00"));

        assertThat(site.events("booking.released")).singleElement()
                .satisfies(e -> assertThat(e.path("booking").asText()).isEqualTo(id))
                .satisfies(e -> assertThat(e.path("reason").asText()).isEqualTo("no_show"));
        assertThat(roomState(site, "room-1").path("status").asText()).isEqualTo("free");
    }
}
