package kontor.sim.lockers;

import static kontor.sim.lockers.LockerSites.BANK;
import static kontor.sim.lockers.LockerSites.DEPOSIT;
import static kontor.sim.lockers.LockerSites.POOR_VISITOR;
import static kontor.sim.lockers.LockerSites.VISITOR;
import static kontor.sim.lockers.LockerSites.after;
import static kontor.sim.lockers.LockerSites.balance;
import static kontor.sim.lockers.LockerSites.member;
import static kontor.sim.lockers.LockerSites.show;
import static kontor.sim.lockers.LockerSites.state;
import static kontor.sim.lockers.LockerSites.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kontor.sim.SiteHarness;
import kontor.site.LockerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LockerSites.QuickPolling.class)
class DayLockerTest {

    @Test
    void a_tap_claims_the_lowest_free_day_locker_and_pulses_its_lock_on_the_expander(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            LockerSpec locker01 = site.site().lockers().getFirst();
            assertThat(status(site, "locker-01")).isEqualTo("free");

            LockerSites.tap(site, VISITOR);

            JsonNode assigned = site.events("locker.assigned").getFirst();
            assertThat(assigned.path("device").asText()).isEqualTo("locker-01");
            assertThat(assigned.path("member").asText()).isEqualTo(member(site, VISITOR));
            assertThat(site.events("locker.unlocked").getFirst().path("reason").asText()).isEqualTo("claim");
            JsonNode state = state(site, "locker-01");
            assertThat(state.path("status").asText()).isEqualTo("assigned");
            assertThat(state.path("locked").asBoolean()).isFalse();
            assertThat(iterable(state.fieldNames())).containsExactly("status", "open", "locked");
            assertThat(site.world().board().isActive(locker01.lock().output())).isTrue();

            site.advance(Duration.ofSeconds(1));

            assertThat(state(site, "locker-01").path("locked").asBoolean()).isTrue();
            assertThat(site.world().board().isActive(locker01.lock().output())).isFalse();

            LockerSites.tap(site, POOR_VISITOR);
            assertThat(site.events("locker.assigned")).extracting(e -> e.path("device").asText())
                    .containsExactly("locker-01", "locker-02");
        }
    }

    @Test
    void the_holder_reopens_their_locker_and_never_gets_a_second_one(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            LockerSites.tap(site, VISITOR);
            site.advance(Duration.ofSeconds(30));
            long mark = site.lastSeq();

            LockerSites.tap(site, VISITOR);

            List<JsonNode> unlocked = after(site, mark, "locker.unlocked", "locker-01");
            assertThat(unlocked).singleElement().satisfies(e -> assertThat(e.path("reason").asText()).isEqualTo("holder"));
            assertThat(site.events("locker.assigned")).hasSize(1);
            assertThat(status(site, "locker-01")).isEqualTo("assigned");
            assertThat(show(site, VISITOR).path("lockers")).hasSize(1);
        }
    }

    @Test
    void a_double_tap_opens_and_releases_the_locker(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            LockerSites.tap(site, VISITOR);
            site.advance(Duration.ofMinutes(5));

            LockerSites.tap(site, VISITOR);
            site.advance(Duration.ofSeconds(2));
            LockerSites.tap(site, VISITOR);

            assertThat(site.events("locker.unlocked")).extracting(e -> e.path("reason").asText())
                    .containsExactly("claim", "holder", "double_tap");
            JsonNode released = site.events("locker.released").getFirst();
            assertThat(released.path("device").asText()).isEqualTo("locker-01");
            assertThat(released.path("reason").asText()).isEqualTo("holder");
            assertThat(status(site, "locker-01")).isEqualTo("free");
            assertThat(show(site, VISITOR).path("lockers")).isEmpty();
        }
    }

    @Test
    void the_deposit_is_held_on_claim_and_returned_when_the_holder_releases(@TempDir Path data) {
        try (SiteHarness site = LockerSites.withMoney(data)) {
            LockerSites.tap(site, VISITOR);

            JsonNode charged = site.events("payment.charged").getFirst();
            assertThat(charged.path("amount").asLong()).isEqualTo(DEPOSIT);
            assertThat(charged.path("reason").asText()).isEqualTo("deposit_hold");
            assertThat(charged.path("member").asText()).isEqualTo(member(site, VISITOR));
            assertThat(charged.has("card")).isFalse();
            JsonNode shown = show(site, VISITOR);
            assertThat(shown.path("balance").asLong()).isEqualTo(10_000 - DEPOSIT);
            assertThat(shown.path("lockers").get(0).path("locker").asText()).isEqualTo("locker-01");
            assertThat(shown.path("lockers").get(0).path("deposit").asLong()).isEqualTo(DEPOSIT);

            site.advance(Duration.ofSeconds(10));
            LockerSites.tap(site, VISITOR);
            LockerSites.tap(site, VISITOR);

            JsonNode returned = site.events("payment.credited").getLast();
            assertThat(returned.path("reason").asText()).isEqualTo("deposit_return");
            assertThat(returned.path("amount").asLong()).isEqualTo(DEPOSIT);
            assertThat(balance(site, VISITOR)).isEqualTo(10_000);
        }
    }

    @Test
    void a_claim_without_funds_for_the_deposit_is_refused_and_changes_nothing(@TempDir Path data) {
        try (SiteHarness site = LockerSites.withMoney(data)) {
            LockerSites.tap(site, POOR_VISITOR);

            assertThat(site.events("locker.denied")).singleElement()
                    .satisfies(e -> assertThat(e.path("reason").asText()).isEqualTo("insufficient_funds"));
            assertThat(site.events("locker.assigned")).isEmpty();
            assertThat(site.events("payment.charged")).isEmpty();
            assertThat(state(site, "locker-01").path("status").asText()).isEqualTo("free");
            assertThat(state(site, "locker-01").path("locked").asBoolean()).isTrue();
            assertThat(show(site, POOR_VISITOR).path("balance").asLong()).isZero();
            assertThat(show(site, POOR_VISITOR).path("lockers")).isEmpty();
        }
    }

    @Test
    void at_closing_open_day_lockers_are_freed_and_shut_ones_need_emptying_with_the_deposit_kept(@TempDir Path data) {
        try (SiteHarness site = LockerSites.withMoney(data)) {
            assertThat(site.command("member.credit", "{\"card\":\"" + POOR_VISITOR + "\",\"amount\":1000}")
                    .path("ok").asBoolean()).isTrue();
            LockerSites.tap(site, VISITOR);
            LockerSites.door(site, "locker-01", true);
            LockerSites.door(site, "locker-01", false);
            LockerSites.tap(site, POOR_VISITOR);
            LockerSites.door(site, "locker-02", true);
            site.command("locker.assign", "{\"locker\":\"locker-13\",\"card\":\"" + VISITOR + "\"}");

            site.advance(Duration.ofHours(13));

            assertThat(status(site, "locker-01")).isEqualTo("needs_emptying");
            assertThat(status(site, "locker-02")).isEqualTo("free");
            assertThat(status(site, "locker-13")).as("rental lockers outlive closing").isEqualTo("assigned");
            assertThat(site.events("locker.released")).extracting(e -> e.path("device").asText() + " "
                    + e.path("reason").asText() + " " + e.path("status").asText())
                    .containsExactly("locker-01 closing needs_emptying", "locker-02 closing free");
            JsonNode kept = site.events("payment.deposit_kept").getFirst();
            assertThat(kept.path("device").asText()).isEqualTo("locker-01");
            assertThat(kept.path("amount").asLong()).isEqualTo(DEPOSIT);
            assertThat(balance(site, VISITOR)).isEqualTo(10_000 - DEPOSIT - LockerSites.RENTAL_FEE);
            assertThat(balance(site, POOR_VISITOR)).isEqualTo(1000);
            assertThat(show(site, VISITOR).path("lockers")).extracting(l -> l.path("locker").asText() + " " + l.path("status").asText())
                    .contains("locker-01 needs_emptying");

            assertThat(site.command("locker.release", "{\"locker\":\"locker-01\",\"by\":\"anna\"}").path("ok").asBoolean()).isTrue();
            assertThat(status(site, "locker-01")).isEqualTo("free");
            assertThat(site.events("locker.released").getLast().path("by").asText()).isEqualTo("anna");
        }
    }

    @Test
    void an_out_of_service_locker_is_never_assigned(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            JsonNode reply = site.command("locker.service", "{\"locker\":\"locker-01\",\"in_service\":false}");
            assertThat(reply.path("ok").asBoolean()).isTrue();
            assertThat(status(site, "locker-01")).isEqualTo("out_of_service");

            LockerSites.tap(site, VISITOR);

            assertThat(site.events("locker.assigned").getFirst().path("device").asText()).isEqualTo("locker-02");
            assertThat(site.command("locker.service", "{\"locker\":\"locker-02\",\"in_service\":false}")
                    .path("error").path("code").asText()).isEqualTo("conflict");
            assertThat(status(site, "locker-02")).isEqualTo("assigned");

            site.command("locker.service", "{\"locker\":\"locker-01\",\"in_service\":true}");
            assertThat(status(site, "locker-01")).isEqualTo("free");
        }
    }

    @Test
    void a_full_bank_refuses_a_claim_with_a_reason(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            for (int i = 1; i <= 12; i++) {
                site.command("locker.service", "{\"locker\":\"locker-%02d\",\"in_service\":false}".formatted(i));
            }

            LockerSites.tap(site, VISITOR);

            assertThat(site.events("locker.denied")).singleElement()
                    .satisfies(e -> assertThat(e.path("reason").asText()).isEqualTo("no_free_locker"));
            assertThat(status(site, "locker-13")).as("rental lockers are never claimed by a tap").isEqualTo("free");
        }
    }

    @Test
    void a_host_holds_a_locker_open_until_its_door_has_been_opened_and_shut(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            JsonNode reply = site.command("locker.open", "{\"locker\":\"locker-04\",\"hold\":true,\"by\":\"anna\"}");
            assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();

            site.advance(Duration.ofSeconds(30));
            assertThat(state(site, "locker-04").path("locked").asBoolean()).isFalse();
            LockerSites.door(site, "locker-04", true);
            site.advance(Duration.ofMinutes(5));
            assertThat(state(site, "locker-04").path("locked").asBoolean()).as("held while open").isFalse();

            LockerSites.door(site, "locker-04", false);

            assertThat(state(site, "locker-04").path("locked").asBoolean()).isTrue();
            assertThat(site.retained("alarms/locker.forced:locker-04")).isNull();
            assertThat(site.events("locker.unlocked").getFirst().path("hold").asBoolean()).isTrue();
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
