package kontor.sim.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.TimeUnit;
import kontor.mqtt.Json;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands a host was missing (issue: the host's desk), over MQTT as a host's tool sends them. */
class HostCommandsTest {
    private static final LocalDateTime TUESDAY_9 = LocalDateTime.of(2026, 12, 1, 9, 0);
    private static final String ALICE = "04A1B2C3D4E501";
    private static final String BOB = "04A1B2C3D4E502";

    @Test
    void locker_show_and_list_say_who_holds_a_locker_without_replaying_the_journal(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            site.tap("reader-bank-a", ALICE);
            site.settle();
            JsonNode list = site.command("locker.list", "{\"bank\":\"bank-a\"}");
            assertThat(list.path("ok").asBoolean()).isTrue();
            assertThat(list.path("result").path("lockers")).hasSize(16);
            JsonNode held = null;
            for (JsonNode l : list.path("result").path("lockers")) {
                if (l.path("status").asText().equals("assigned")) {
                    held = l;
                }
            }
            assertThat(held).as("the locker Alice's tap claimed").isNotNull();
            String member = site.command("member.show", "{\"card\":\"" + ALICE + "\"}").path("result").path("member").asText();
            assertThat(held.path("member").asText()).isEqualTo(member);

            JsonNode show = site.command("locker.show", "{\"locker\":\"" + held.path("locker").asText() + "\"}");
            assertThat(show.path("result").path("member").asText()).isEqualTo(member);
            assertThat(show.path("result").path("bank").asText()).isEqualTo("bank-a");
            assertThat(show.path("result").toString()).doesNotContain(ALICE);

            assertThat(site.command("locker.show", "{\"locker\":\"locker-99\"}").path("error").path("code").asText()).isEqualTo("not_found");
            assertThat(site.command("locker.list", "{\"bank\":\"bank-z\"}").path("error").path("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void a_host_ends_the_copier_session_of_a_visitor_who_walked_away(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            site.tap("reader-copier-1", ALICE);
            site.settle();
            // Someone else's tap is refused while the session runs.
            assertThat(site.tap("reader-copier-1", BOB).path("reason").asText()).isEqualTo("copier_busy");

            JsonNode end = site.command("copier.end", "{\"copier\":\"copier-1\",\"by\":\"anna\"}");
            assertThat(end.path("ok").asBoolean()).as(end.toString()).isTrue();
            // The line goes off at once; the summary follows when the grace for late pulses is over.
            site.advance(Duration.ofSeconds(6));
            JsonNode ended = site.awaitEvent("copier.session_ended", e -> true);
            assertThat(ended.path("reason").asText()).isEqualTo("host");
            assertThat(ended.path("by").asText()).isEqualTo("anna");

            assertThat(site.command("copier.end", "{\"copier\":\"copier-1\"}").path("error").path("code").asText()).isEqualTo("conflict");
            assertThat(site.command("copier.end", "{\"copier\":\"copier-9\"}").path("error").path("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void an_unknown_command_names_the_commands_there_are(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            JsonNode reply = site.command("locker.who", "");
            assertThat(reply.path("error").path("code").asText()).isEqualTo("unknown_command");
            assertThat(reply.path("error").path("message").asText())
                    .contains("locker.show", "locker.list", "copier.end", "member.credit", "gateway.info");
        }
    }

    @Test
    void a_validity_given_as_a_date_is_shown_as_that_date(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            site.command("card.enroll", "{\"card\":\"04AA00BB11CC22\",\"valid_until\":\"2027-06-30\"}");
            JsonNode shown = site.command("member.show", "{\"card\":\"04AA00BB11CC22\"}");
            assertThat(shown.path("result").path("valid_until").asText()).isEqualTo("2027-06-30");
        }
    }

    @Test
    void an_amount_in_kronor_is_refused_with_a_word_about_minor_units(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            for (String amount : new String[] {"\"50.00\"", "50.5"}) {
                JsonNode reply = site.command("member.credit", "{\"card\":\"" + BOB + "\",\"amount\":" + amount + "}");
                assertThat(reply.path("error").path("code").asText()).isEqualTo("bad_request");
                assertThat(reply.path("error").path("message").asText()).contains("minor units").contains("5000");
            }
            assertThat(site.command("member.show", "{\"card\":\"" + BOB + "\"}").path("result").path("balance").asLong()).isZero();
        }
    }

    @Test
    void the_console_calls_the_same_command_layer_with_the_same_idempotency(@TempDir Path data) throws Exception {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            byte[] request = ("{\"id\":\"c1\",\"card\":\"" + BOB + "\",\"amount\":500,\"by\":\"console:anna\"}").getBytes(StandardCharsets.UTF_8);
            JsonNode first = Json.tree(site.gateway().commands().call("member.credit", request).get(10, TimeUnit.SECONDS));
            JsonNode again = Json.tree(site.gateway().commands().call("member.credit", request).get(10, TimeUnit.SECONDS));
            assertThat(first.path("result").path("balance").asLong()).isEqualTo(500);
            assertThat(again).isEqualTo(first);
            assertThat(site.command("member.show", "{\"card\":\"" + BOB + "\"}").path("result").path("balance").asLong()).isEqualTo(500);
            JsonNode credited = site.awaitEvent("payment.credited", e -> e.path("amount").asLong() == 500);
            assertThat(credited.path("by").asText()).isEqualTo("console:anna");
        }
    }

    @Test
    void a_refund_pays_back_from_the_balance_and_never_below_zero(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            JsonNode refund = site.command("member.refund", "{\"card\":\"" + ALICE + "\",\"amount\":2500,\"by\":\"anna\"}");
            assertThat(refund.path("result").path("balance").asLong()).as(refund.toString()).isEqualTo(7500);
            JsonNode charged = site.awaitEvent("payment.charged", e -> e.path("reason").asText().equals("refund"));
            assertThat(charged.path("amount").asLong()).isEqualTo(2500);
            assertThat(charged.path("by").asText()).isEqualTo("anna");
            JsonNode tooMuch = site.command("member.refund", "{\"card\":\"" + ALICE + "\",\"amount\":7501}");
            assertThat(tooMuch.path("error").path("code").asText()).isEqualTo("insufficient_funds");
            assertThat(site.command("member.show", "{\"card\":\"" + ALICE + "\"}").path("result").path("balance").asLong()).isEqualTo(7500);
        }
    }

    @Test
    void a_host_checks_a_booking_in_and_the_room_turns_red(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            JsonNode booked = site.command("room.book", "{\"room\":\"room-2\",\"card\":\"" + BOB
                    + "\",\"start\":\"2026-12-01T09:00:00+01:00\",\"end\":\"2026-12-01T10:00:00+01:00\"}");
            String booking = booked.path("result").path("booking").path("id").asText();
            assertThat(booking).as(booked.toString()).isNotEmpty();
            JsonNode checkIn = site.command("booking.check_in", "{\"booking\":\"" + booking + "\",\"by\":\"anna\"}");
            assertThat(checkIn.path("ok").asBoolean()).as(checkIn.toString()).isTrue();
            assertThat(site.awaitEvent("booking.checked_in", e -> e.path("booking").asText().equals(booking)).path("by").asText())
                    .isEqualTo("anna");
            assertThat(site.retained("rooms/room-2/state").path("light").asText()).isEqualTo("red");
            assertThat(site.command("booking.check_in", "{\"booking\":\"nope\"}").path("error").path("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void the_next_new_card_tapped_at_the_desk_is_enrolled_when_a_host_asks(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            assertThat(site.tap("reader-desk", "04AA00BB11CC99").path("reason").asText()).isEqualTo("unknown_card");
            JsonNode armed = site.command("card.enroll_next", "{\"reader\":\"reader-desk\",\"by\":\"console:anna\"}");
            assertThat(armed.path("ok").asBoolean()).as(armed.toString()).isTrue();
            JsonNode enrolled = site.tap("reader-desk", "04AA00BB11CC99");
            assertThat(enrolled.path("type").asText()).isEqualTo("card.enrolled");
            assertThat(enrolled.path("by").asText()).isEqualTo("console:anna");
            assertThat(enrolled.toString()).doesNotContain("04AA00BB11CC99");
            assertThat(site.command("card.enroll_next", "{\"reader\":\"reader-room-1\"}").path("error").path("code").asText())
                    .isEqualTo("not_found");
        }
    }
}
