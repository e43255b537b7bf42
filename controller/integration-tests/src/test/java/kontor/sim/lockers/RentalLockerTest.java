package kontor.sim.lockers;

import static kontor.sim.lockers.LockerSites.BANK;
import static kontor.sim.lockers.LockerSites.POOR_VISITOR;
import static kontor.sim.lockers.LockerSites.RENTAL_FEE;
import static kontor.sim.lockers.LockerSites.VISITOR;
import static kontor.sim.lockers.LockerSites.balance;
import static kontor.sim.lockers.LockerSites.member;
import static kontor.sim.lockers.LockerSites.show;
import static kontor.sim.lockers.LockerSites.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LockerSites.QuickPolling.class)
class RentalLockerTest {

    @Test
    void a_host_assigns_a_rental_locker_until_a_date_against_the_fee(@TempDir Path data) {
        try (SiteHarness site = LockerSites.withMoney(data)) {
            JsonNode reply = site.command("locker.assign",
                    "{\"locker\":\"locker-13\",\"card\":\"" + VISITOR + "\",\"until\":\"2026-12-03\",\"by\":\"anna\"}");

            assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
            assertThat(status(site, "locker-13")).isEqualTo("assigned");
            JsonNode assigned = site.events("locker.assigned").getFirst();
            assertThat(assigned.path("member").asText()).isEqualTo(member(site, VISITOR));
            assertThat(assigned.path("until").asText()).isEqualTo("2026-12-04T00:00:00.000+01:00");
            assertThat(assigned.path("by").asText()).isEqualTo("anna");
            JsonNode charged = site.events("payment.charged").getFirst();
            assertThat(charged.path("reason").asText()).isEqualTo("rental_fee");
            assertThat(charged.path("amount").asLong()).isEqualTo(RENTAL_FEE);
            JsonNode shown = show(site, VISITOR);
            assertThat(shown.path("balance").asLong()).isEqualTo(10_000 - RENTAL_FEE);
            assertThat(shown.path("lockers").get(0).path("until").asText()).isEqualTo("2026-12-04T00:00:00.000+01:00");

            LockerSites.tap(site, VISITOR);

            assertThat(site.events("locker.unlocked")).singleElement()
                    .satisfies(e -> assertThat(e.path("device").asText()).isEqualTo("locker-13"));
            assertThat(site.events("locker.assigned")).as("the renter's tap opens the rental, claims nothing").hasSize(1);
        }
    }

    @Test
    void a_rental_is_released_at_expiry_and_needs_emptying_when_its_door_is_shut(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            site.command("locker.assign", "{\"locker\":\"locker-13\",\"card\":\"" + VISITOR + "\",\"until\":\"2026-12-02\"}");
            site.command("locker.assign", "{\"locker\":\"locker-14\",\"card\":\"" + POOR_VISITOR + "\",\"until\":\"2026-12-02\"}");
            site.command("locker.open", "{\"locker\":\"locker-14\"}");
            LockerSites.door(site, "locker-14", true);

            site.advance(Duration.ofHours(24));
            assertThat(status(site, "locker-13")).isEqualTo("assigned");
            site.advance(Duration.ofHours(15));

            assertThat(status(site, "locker-13")).isEqualTo("needs_emptying");
            assertThat(status(site, "locker-14")).isEqualTo("free");
            assertThat(site.events("locker.released")).extracting(e -> e.path("reason").asText()).containsOnly("expired");
        }
    }

    @Test
    void a_rental_without_funds_for_the_fee_is_refused_and_changes_nothing(@TempDir Path data) {
        try (SiteHarness site = LockerSites.withMoney(data)) {
            JsonNode reply = site.command("locker.assign", "{\"locker\":\"locker-13\",\"card\":\"" + POOR_VISITOR + "\"}");

            assertThat(reply.path("error").path("code").asText()).isEqualTo("insufficient_funds");
            assertThat(status(site, "locker-13")).isEqualTo("free");
            assertThat(balance(site, POOR_VISITOR)).isZero();
            assertThat(site.events("locker.assigned")).isEmpty();
            assertThat(site.events("payment.charged")).isEmpty();
        }
    }

    @Test
    void a_repeated_assign_command_charges_once_and_bad_ones_change_nothing(@TempDir Path data) {
        try (SiteHarness site = LockerSites.withMoney(data)) {
            String request = "{\"id\":\"assign-1\",\"locker\":\"locker-13\",\"card\":\"" + VISITOR + "\"}";
            JsonNode first = site.commandRaw("locker.assign", request);
            JsonNode again = site.commandRaw("locker.assign", request);

            assertThat(again).isEqualTo(first);
            assertThat(site.events("payment.charged")).hasSize(1);
            assertThat(balance(site, VISITOR)).isEqualTo(10_000 - RENTAL_FEE);

            assertThat(error(site, "{\"locker\":\"locker-13\",\"card\":\"" + POOR_VISITOR + "\"}")).isEqualTo("conflict");
            assertThat(error(site, "{\"locker\":\"locker-01\",\"card\":\"" + VISITOR + "\"}")).isEqualTo("bad_request");
            assertThat(error(site, "{\"locker\":\"locker-99\",\"card\":\"" + VISITOR + "\"}")).isEqualTo("not_found");
            assertThat(error(site, "{\"locker\":\"locker-14\",\"card\":\"" + VISITOR + "\",\"until\":\"2020-01-01\"}")).isEqualTo("bad_request");
            assertThat(error(site, "{\"locker\":\"locker-14\",\"card\":\"" + VISITOR + "\",\"until\":\"soon\"}")).isEqualTo("bad_request");
            assertThat(error(site, "{\"locker\":\"locker-14\"}")).isEqualTo("bad_request");
            assertThat(status(site, "locker-14")).isEqualTo("free");
            assertThat(site.events("payment.charged")).hasSize(1);
        }
    }

    private static String error(SiteHarness site, String fields) {
        return site.command("locker.assign", fields).path("error").path("code").asText();
    }
}
