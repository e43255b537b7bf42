package kontor.sim.copying;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import kontor.device.Signal;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's copier-1 (200 öre a page) under card control, on frozen time. */
class CopierTest {
    /** A Tuesday morning: the site is open. */
    private static final LocalDateTime TUESDAY_9 = LocalDateTime.parse("2026-12-01T09:00:00");
    private static final String COPIER = "copier-1";
    private static final String READER = "reader-copier-1";
    private static final String RICH = DemoCards.VISITOR;
    private static final String POOR = DemoCards.ACCESSIBLE_VISITOR;
    private static final Duration GRACE = Duration.ofSeconds(5);

    @BeforeAll
    static void pollQuickly() {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
    }

    @AfterAll
    static void resetPolling() {
        Awaitility.reset();
    }

    @Test
    void a_balance_of_exactly_one_page_buys_one_page_and_then_the_line_goes_off(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            credit(site, POOR, 200);
            JsonNode granted = tap(site, POOR);
            assertThat(granted.path("type").asText()).isEqualTo("card.granted");
            assertThat(enabled(site)).isTrue();
            assertThat(site.retained("devices/" + COPIER + "/state").path("enabled").asBoolean()).isTrue();
            JsonNode started = site.events("copier.session_started").getLast();
            assertThat(started.path("member").asText()).isEqualTo(member(site, POOR));

            pages(site, 1, 0);

            assertThat(enabled(site)).as("the balance no longer covers a page").isFalse();
            assertThat(site.retained("devices/" + COPIER + "/state").path("enabled").asBoolean()).isFalse();
            assertThat(balance(site, POOR)).isZero();
            JsonNode page = site.events("copier.page").getLast();
            assertThat(page.path("charged").asBoolean()).isTrue();
            assertThat(page.path("amount").asLong()).isEqualTo(200);

            site.advance(GRACE);
            JsonNode ended = site.events("copier.session_ended").getLast();
            assertThat(ended.path("reason").asText()).isEqualTo("balance");
            assertThat(ended.path("pages").asInt()).isEqualTo(1);
            assertThat(ended.path("amount").asLong()).isEqualTo(200);
            assertThat(ended.path("uncharged_pages").asInt()).isZero();
        }
    }

    @Test
    void closing_time_ends_a_running_session_and_switches_the_copier_off(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T21:59:40"))) {
            tap(site, RICH);
            pages(site, 1, 0);
            assertThat(enabled(site)).isTrue();

            site.advance(Duration.ofSeconds(30)); // the site closes at 22:00

            assertThat(enabled(site)).isFalse();
            JsonNode ended = site.events("copier.session_ended").getLast();
            assertThat(ended.path("reason").asText()).isEqualTo("closing");
            assertThat(ended.path("pages").asInt()).isEqualTo(1);
        }
    }

    @Test
    void a_balance_below_one_page_is_denied_and_the_line_stays_off(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            credit(site, POOR, 199);
            JsonNode denied = tap(site, POOR);
            assertThat(denied.path("type").asText()).isEqualTo("card.denied");
            assertThat(denied.path("reason").asText()).isEqualTo("insufficient_funds");
            assertThat(enabled(site)).isFalse();
            assertThat(site.events("copier.session_started")).isEmpty();
            assertThat(site.events("card.granted")).isEmpty();
        }
    }

    @Test
    void running_out_mid_job_stops_the_copier_and_never_charges_beyond_the_balance(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            credit(site, POOR, 500);
            tap(site, POOR);

            pages(site, 4, 0);

            assertThat(enabled(site)).isFalse();
            assertThat(balance(site, POOR)).isEqualTo(100);
            List<JsonNode> pages = site.events("copier.page");
            assertThat(pages).extracting(p -> p.path("charged").asBoolean()).containsExactly(true, true, false, false);
            assertThat(site.events("payment.charged")).hasSize(2);
            site.advance(GRACE);
            JsonNode ended = site.events("copier.session_ended").getLast();
            assertThat(ended.path("reason").asText()).isEqualTo("balance");
            assertThat(ended.path("pages").asInt()).isEqualTo(2);
            assertThat(ended.path("amount").asLong()).isEqualTo(400);
            assertThat(ended.path("uncharged_pages").asInt()).isEqualTo(2);
        }
    }

    @Test
    void the_session_ends_after_the_idle_time_without_a_page(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            Duration idle = site.site().policy().copierIdle();
            tap(site, RICH);
            site.advance(idle.minusSeconds(1));
            pages(site, 1, 0);
            site.advance(idle.minusSeconds(1));
            assertThat(enabled(site)).as("a page restarts the idle time").isTrue();

            site.advance(Duration.ofSeconds(1));
            assertThat(enabled(site)).isFalse();
            site.advance(GRACE);
            JsonNode ended = site.events("copier.session_ended").getLast();
            assertThat(ended.path("reason").asText()).isEqualTo("idle");
            assertThat(ended.path("pages").asInt()).isEqualTo(1);
            assertThat(balance(site, RICH)).isEqualTo(9_800);
        }
    }

    @Test
    void a_second_tap_ends_the_session_and_later_pulses_are_journaled_but_not_charged(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            tap(site, RICH);
            pages(site, 3, 0);
            assertThat(tap(site, RICH).path("type").asText()).isEqualTo("card.granted");
            assertThat(enabled(site)).isFalse();

            pages(site, 2, 0);
            site.advance(GRACE);
            pages(site, 1, 0);

            assertThat(balance(site, RICH)).isEqualTo(10_000 - 3 * 200);
            assertThat(site.events("payment.charged")).hasSize(3);
            List<JsonNode> pages = site.events("copier.page");
            assertThat(pages).hasSize(6);
            assertThat(pages).extracting(p -> p.path("charged").asBoolean())
                    .containsExactly(true, true, true, false, false, false);
            assertThat(pages.getLast().path("reason").asText()).isEqualTo("no_session");
            JsonNode ended = site.events("copier.session_ended").getLast();
            assertThat(ended.path("reason").asText()).isEqualTo("second_tap");
            assertThat(ended.path("pages").asInt()).isEqualTo(3);
            assertThat(ended.path("amount").asLong()).isEqualTo(600);
            assertThat(ended.path("uncharged_pages").asInt()).isEqualTo(2);
        }
    }

    @Test
    void another_members_tap_during_a_session_is_denied(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            credit(site, POOR, 1000);
            tap(site, RICH);
            JsonNode denied = tap(site, POOR);
            assertThat(denied.path("type").asText()).isEqualTo("card.denied");
            assertThat(denied.path("reason").asText()).isEqualTo("copier_busy");
            assertThat(enabled(site)).isTrue();
            pages(site, 1, 0);
            assertThat(balance(site, RICH)).isEqualTo(9_800);
            assertThat(balance(site, POOR)).isEqualTo(1000);
        }
    }

    @Test
    void pulses_from_the_copier_board_are_counted(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            tap(site, RICH);
            long mark = site.lastSeq();
            site.world().pages(COPIER, 2);
            site.awaitEvent(mark, "copier.page", p -> p.path("page").asInt() == 2);
            assertThat(balance(site, RICH)).isEqualTo(9_600);
        }
    }

    @Test
    void a_crash_mid_session_leaves_the_copier_off_and_ends_the_session_without_charging_twice(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_9)) {
            tap(site, RICH);
            pages(site, 2, 0);
            assertThat(enabled(site)).isTrue();
        }
        try (SiteHarness again = SiteHarness.demo(data, TUESDAY_9.plusMinutes(5))) {
            assertThat(enabled(again)).isFalse();
            assertThat(again.retained("devices/" + COPIER + "/state").path("enabled").asBoolean()).isFalse();
            JsonNode ended = again.events("copier.session_ended").getLast();
            assertThat(ended.path("reason").asText()).isEqualTo("restart");
            assertThat(ended.path("pages").asInt()).isEqualTo(2);
            assertThat(ended.path("amount").asLong()).isEqualTo(400);
            assertThat(balance(again, RICH)).isEqualTo(9_600);

            pages(again, 1, 0);
            assertThat(balance(again, RICH)).as("no session after the restart").isEqualTo(9_600);
        }
        try (SiteHarness third = SiteHarness.demo(data, TUESDAY_9.plusMinutes(10))) {
            assertThat(third.events("copier.session_ended")).as("the session is not closed a second time").isEmpty();
            assertThat(balance(third, RICH)).isEqualTo(9_600);
        }
    }

    // ---- helpers

    private static JsonNode tap(SiteHarness site, String card) {
        long mark = site.lastSeq();
        site.gateway().signal(new Signal.CardPresented(READER, card));
        site.settle();
        return site.events().stream().filter(e -> e.path("seq").asLong() > mark
                && e.path("type").asText().startsWith("card.") && e.path("device").asText().equals(READER))
                .findFirst().orElseThrow();
    }

    private static void pages(SiteHarness site, int mono, int colour) {
        site.gateway().signal(new Signal.PagesCounted(COPIER, mono, colour));
        site.settle();
    }

    private static boolean enabled(SiteHarness site) {
        site.settle();
        return site.gateway().devices().copier(COPIER).orElseThrow().enabled();
    }

    private static void credit(SiteHarness site, String card, long amount) {
        JsonNode reply = site.command("member.credit", "{\"card\":\"" + card + "\",\"amount\":" + amount + "}");
        assertThat(reply.path("ok").asBoolean()).as("credit: %s", reply).isTrue();
    }

    private static JsonNode show(SiteHarness site, String card) {
        JsonNode reply = site.command("member.show", "{\"card\":\"" + card + "\"}");
        assertThat(reply.path("ok").asBoolean()).as("member.show: %s", reply).isTrue();
        return reply.path("result");
    }

    private static String member(SiteHarness site, String card) {
        return show(site, card).path("member").asText();
    }

    private static long balance(SiteHarness site, String card) {
        return show(site, card).path("balance").asLong();
    }
}
