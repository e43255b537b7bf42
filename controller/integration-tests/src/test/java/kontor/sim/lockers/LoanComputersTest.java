package kontor.sim.lockers;

import static kontor.sim.lockers.LockerSites.HOST;
import static kontor.sim.lockers.LockerSites.POOR_VISITOR;
import static kontor.sim.lockers.LockerSites.VISITOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.device.Signal;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loan computers of the demo site (loan-01 … loan-04 behind reader-loan), through the real drivers on the
 * simulated board: bays are expander lines, so every input change is awaited as the gateway sees it.
 */
@ExtendWith(LockerSites.QuickPolling.class)
class LoanComputersTest {
    static final String READER = "reader-loan";

    @Test
    void all_four_start_present_charged_and_free_and_are_announced_to_home_assistant(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            for (String c : new String[] {"loan-01", "loan-02", "loan-03", "loan-04"}) {
                JsonNode state = state(site, c);
                assertThat(state.path("status").asText()).isEqualTo("free");
                assertThat(state.path("present").asBoolean()).isTrue();
                assertThat(state.path("charged").asBoolean()).isTrue();
                assertThat(state.path("locked").asBoolean()).isTrue();
                assertThat(site.mqtt().retained("homeassistant/binary_sensor/kontor_demo/" + c.replace('-', '_')
                        + "_present/config")).isNotNull();
                assertThat(site.mqtt().retained("homeassistant/sensor/kontor_demo/" + c.replace('-', '_')
                        + "_status/config")).contains("/loans/" + c + "/state");
            }
        }
    }

    @Test
    void the_demos_sim_inputs_take_a_laptop_out_of_its_bay_and_flatten_its_battery(@TempDir Path data) {
        // As docs/loan-computers.md has them: sim/present and sim/charge over MQTT. The demo subscribes its
        // simulator control to the broker; the harness leaves that to the test.
        try (SiteHarness site = LockerSites.demo(data);
             kontor.sim.demo.SimControl control = new kontor.sim.demo.SimControl(site.world(), "kontor/demo")) {
            control.subscribe(site.mqtt());
            site.sim("present", "{\"device\":\"loan-01\",\"present\":false}");
            site.sim("charge", "{\"device\":\"loan-02\",\"charged\":false}");
            await().atMost(Duration.ofSeconds(10)).until(() -> status(site, "loan-01").equals("missing")
                    && status(site, "loan-02").equals("charging"));
            assertThat(state(site, "loan-01").path("present").asBoolean()).isFalse();
            assertThat(state(site, "loan-02").path("charged").asBoolean()).isFalse();

            site.sim("present", "{\"device\":\"loan-01\",\"present\":true}");
            site.sim("charge", "{\"device\":\"loan-02\",\"charged\":true}");
            await().atMost(Duration.ofSeconds(10)).until(() -> status(site, "loan-01").equals("free")
                    && status(site, "loan-02").equals("free"));
        }
    }

    @Test
    void a_tap_lends_a_charged_laptop_on_the_spot_and_putting_it_back_ends_the_loan(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            JsonNode granted = tap(site, VISITOR);
            assertThat(granted.path("type").asText()).isEqualTo("card.granted");
            JsonNode booked = site.awaitEvent("loan.booked", e -> true);
            JsonNode started = site.awaitEvent("loan.started", e -> true);
            assertThat(booked.path("source").asText()).isEqualTo("spot");
            assertThat(started.path("device").asText()).isEqualTo("loan-01");
            assertThat(started.path("booking").asText()).isEqualTo(booked.path("booking").asText());
            assertThat(started.path("deposit").asLong()).isZero();
            assertThat(status(site, "loan-01")).isEqualTo("lent");
            assertThat(site.retained("loans/loan-01/state").toString()).doesNotContain(started.path("member").asText());

            LockerSites.door(site, "loan-01", true);
            present(site, "loan-01", false);
            LockerSites.door(site, "loan-01", false);
            assertThat(site.retained("alarms/locker.forced:loan-01")).as("opened by its loan").isNull();
            assertThat(site.events("loan.ended")).isEmpty();

            // Back an hour later, flat: the holder's tap opens the bay again.
            site.advance(Duration.ofMinutes(50));
            site.world().charge("loan-01", false);
            JsonNode again = tap(site, VISITOR);
            assertThat(again.path("action").asText()).isEqualTo("return");
            LockerSites.door(site, "loan-01", true);
            present(site, "loan-01", true);
            assertThat(site.events("loan.ended")).as("door still open").isEmpty();
            LockerSites.door(site, "loan-01", false);

            JsonNode ended = site.awaitEvent("loan.ended", e -> true);
            assertThat(ended.path("duration_s").asLong()).isEqualTo(3000);
            assertThat(ended.path("overdue").asBoolean()).isFalse();
            assertThat(status(site, "loan-01")).isEqualTo("charging");
            charge(site, "loan-01", true);
            assertThat(status(site, "loan-01")).isEqualTo("free");
        }
    }

    @Test
    void a_booking_by_command_holds_its_laptop_for_its_member_until_they_tap(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            JsonNode reply = site.command("loan.book", "{\"computer\":\"loan-01\",\"card\":\"" + VISITOR
                    + "\",\"start\":\"2026-12-01T10:00:00+01:00\",\"end\":\"2026-12-01T12:00:00+01:00\"}");
            assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
            String booking = reply.path("result").path("booking").path("id").asText();
            assertThat(reply.path("result").path("booking").path("status").asText()).isEqualTo("booked");
            assertThat(site.command("loan.book", "{\"computer\":\"loan-01\",\"card\":\"" + POOR_VISITOR
                    + "\",\"start\":\"2026-12-01T11:00:00+01:00\",\"end\":\"2026-12-01T13:00:00+01:00\"}")
                    .path("error").path("code").asText()).isEqualTo("conflict");
            assertThat(state(site, "loan-01").path("next").path("start").asText()).startsWith("2026-12-01T10:00");

            site.advance(Duration.ofMinutes(55)); // 09:55: within policy.check_in_before
            assertThat(status(site, "loan-01")).isEqualTo("booked");
            // Someone else on the spot gets another laptop, not the booked one.
            tap(site, POOR_VISITOR);
            assertThat(site.awaitEvent("loan.started", e -> true).path("device").asText()).isEqualTo("loan-02");

            tap(site, VISITOR);
            JsonNode started = site.awaitEvent("loan.started", e -> e.path("device").asText().equals("loan-01"));
            assertThat(started.path("booking").asText()).isEqualTo(booking);

            JsonNode list = site.command("loans.list", "{\"date\":\"2026-12-01\"}").path("result").path("bookings");
            assertThat(list).hasSize(2);
            assertThat(site.command("loan.cancel", "{\"booking\":\"" + booking + "\"}").path("error").path("code")
                    .asText()).as("lent: ends when back").isEqualTo("conflict");
        }
    }

    @Test
    void a_booking_cancelled_or_never_picked_up_is_released(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            String first = book(site, "loan-03", VISITOR, "10:00", "11:00");
            assertThat(site.command("loan.cancel", "{\"booking\":\"" + first + "\",\"by\":\"anna\"}")
                    .path("ok").asBoolean()).isTrue();
            assertThat(site.events("loan.released").getLast().path("reason").asText()).isEqualTo("cancelled");

            book(site, "loan-03", VISITOR, "12:00", "13:00");
            site.advance(Duration.ofHours(4));
            JsonNode noShow = site.events("loan.released").getLast();
            assertThat(noShow.path("reason").asText()).isEqualTo("no_show");
            assertThat(status(site, "loan-03")).isEqualTo("free");
        }
    }

    @Test
    void a_laptop_not_back_by_its_end_plus_grace_is_overdue_until_it_is_back(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            tap(site, VISITOR); // on the spot: policy.on_the_spot_length, 60 min
            LockerSites.door(site, "loan-01", true);
            present(site, "loan-01", false);
            LockerSites.door(site, "loan-01", false);

            site.advance(Duration.ofMinutes(74));
            assertThat(site.events("loan.overdue")).isEmpty();
            site.advance(Duration.ofMinutes(1)); // end 10:00 + policy.loan_grace 15 min
            assertThat(site.events("loan.overdue")).singleElement()
                    .satisfies(e -> assertThat(e.path("device").asText()).isEqualTo("loan-01"));
            assertThat(site.retained("alarms/loan.overdue:loan-01").path("type").asText()).isEqualTo("loan.overdue");
            site.advance(Duration.ofMinutes(30));
            assertThat(site.events("loan.overdue")).as("once").hasSize(1);

            site.command("loan.open", "{\"computer\":\"loan-01\",\"by\":\"anna\"}");
            LockerSites.door(site, "loan-01", true);
            present(site, "loan-01", true);
            LockerSites.door(site, "loan-01", false);

            assertThat(site.awaitEvent("loan.ended", e -> true).path("overdue").asBoolean()).isTrue();
            assertThat(site.retained("alarms/loan.overdue:loan-01")).isNull();
        }
    }

    @Test
    void a_laptop_out_at_closing_raises_an_alarm_that_stays_until_it_is_back(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T21:30:00"))) {
            tap(site, VISITOR);
            JsonNode booked = site.awaitEvent("loan.booked", e -> true);
            assertThat(booked.path("end").asText()).as("not past closing").startsWith("2026-12-01T22:00");
            LockerSites.door(site, "loan-01", true);
            present(site, "loan-01", false);
            LockerSites.door(site, "loan-01", false);

            site.advance(Duration.ofMinutes(31));
            assertThat(site.retained("alarms/loan.not_returned:loan-01").path("type").asText())
                    .isEqualTo("loan.not_returned");
            site.advance(Duration.ofHours(11)); // the next morning, still out
            assertThat(site.retained("alarms/loan.not_returned:loan-01")).isNotNull();

            tap(site, VISITOR);
            LockerSites.door(site, "loan-01", true);
            present(site, "loan-01", true);
            LockerSites.door(site, "loan-01", false);
            site.awaitEvent("loan.ended", e -> true);
            assertThat(site.retained("alarms/loan.not_returned:loan-01")).isNull();
        }
    }

    @Test
    void a_bay_opened_without_a_loan_is_forced_and_a_missing_laptop_is_never_lent(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            LockerSites.door(site, "loan-01", true);
            assertThat(site.retained("alarms/locker.forced:loan-01").path("type").asText()).isEqualTo("locker.forced");
            present(site, "loan-01", false);
            LockerSites.door(site, "loan-01", false);
            assertThat(status(site, "loan-01")).isEqualTo("missing");

            tap(site, VISITOR);
            assertThat(site.awaitEvent("loan.started", e -> true).path("device").asText()).isEqualTo("loan-02");

            site.command("loan.service", "{\"computer\":\"loan-01\",\"in_service\":false}");
            assertThat(site.retained("alarms/locker.forced:loan-01")).as("a host saw to it").isNull();
            assertThat(status(site, "loan-01")).isEqualTo("out_of_order");
        }
    }

    @Test
    void no_charged_laptop_means_a_denied_tap_and_nothing_opens(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            for (String c : new String[] {"loan-01", "loan-02", "loan-03", "loan-04"}) {
                charge(site, c, false);
            }
            JsonNode denied = tap(site, HOST);
            assertThat(denied.path("type").asText()).isEqualTo("card.denied");
            assertThat(denied.path("reason").asText()).isEqualTo("no_free_computer");
            assertThat(site.events("locker.unlocked")).isEmpty();
            assertThat(site.events("loan.booked")).isEmpty();
        }
    }

    @Test
    void a_deposit_the_site_sets_is_held_while_the_laptop_is_out(@TempDir Path data) throws Exception {
        String yaml = LockerSites.demoYaml();
        String free = "    deposit: 0\n    computers:";
        assertThat(yaml).contains(free);
        kontor.site.Site withDeposit = kontor.site.SiteFiles.parse("loan-deposit.yaml",
                yaml.replace(free, "    deposit: 500\n    computers:"));
        try (SiteHarness site = SiteHarness.of(withDeposit, data, LockerSites.TUESDAY_9)) {
            assertThat(tap(site, POOR_VISITOR).path("reason").asText()).isEqualTo("insufficient_funds");

            tap(site, VISITOR);
            assertThat(site.awaitEvent("loan.started", e -> true).path("deposit").asLong()).isEqualTo(500);
            assertThat(LockerSites.balance(site, VISITOR)).isEqualTo(9500);
            LockerSites.door(site, "loan-01", true);
            present(site, "loan-01", false);
            LockerSites.door(site, "loan-01", false);

            tap(site, VISITOR);
            LockerSites.door(site, "loan-01", true);
            present(site, "loan-01", true);
            LockerSites.door(site, "loan-01", false);
            site.awaitEvent("loan.ended", e -> true);
            assertThat(LockerSites.balance(site, VISITOR)).isEqualTo(10000);
        }
    }

    // ---- helpers

    private static JsonNode tap(SiteHarness site, String card) {
        long mark = site.lastSeq();
        site.gateway().signal(new Signal.CardPresented(READER, card));
        JsonNode decision = await().atMost(Duration.ofSeconds(10)).until(() -> site.events().stream()
                .filter(e -> e.path("seq").asLong() > mark && e.path("type").asText().startsWith("card.")
                        && e.path("device").asText().equals(READER)).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
        site.settle();
        return decision;
    }

    private static String book(SiteHarness site, String computer, String card, String from, String to) {
        JsonNode reply = site.command("loan.book", "{\"computer\":\"" + computer + "\",\"card\":\"" + card
                + "\",\"start\":\"2026-12-01T" + from + ":00+01:00\",\"end\":\"2026-12-01T" + to + ":00+01:00\"}");
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
        return reply.path("result").path("booking").path("id").asText();
    }

    /** The laptop taken out of or put back in its bay, once the gateway has read the line. */
    private static void present(SiteHarness site, String computer, boolean present) {
        site.world().present(computer, present);
        await().atMost(Duration.ofSeconds(10)).until(
                () -> site.retained("devices/" + computer + "/state").path("present").asBoolean() == present);
        site.settle();
    }

    private static void charge(SiteHarness site, String computer, boolean charged) {
        site.world().charge(computer, charged);
        await().atMost(Duration.ofSeconds(10)).until(
                () -> site.retained("devices/" + computer + "/state").path("charged").asBoolean() == charged);
        site.settle();
    }

    private static JsonNode state(SiteHarness site, String computer) {
        return site.retained("loans/" + computer + "/state");
    }

    private static String status(SiteHarness site, String computer) {
        return state(site, computer).path("status").asText();
    }
}
