package kontor.sim.lockers;

import static kontor.sim.lockers.LockerSites.POOR_VISITOR;
import static kontor.sim.lockers.LockerSites.VISITOR;
import static kontor.sim.lockers.LockerSites.balance;
import static kontor.sim.lockers.LockerSites.member;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LockerSites.QuickPolling.class)
class MoneyTest {

    @Test
    void the_demo_visitor_starts_with_ten_thousand_ore_credited_once(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            assertThat(balance(site, VISITOR)).isEqualTo(10_000);
            assertThat(balance(site, POOR_VISITOR)).isZero();
            assertThat(site.events("payment.credited")).singleElement()
                    .satisfies(e -> assertThat(e.path("member").asText()).isEqualTo(member(site, VISITOR)));
        }
        try (SiteHarness again = LockerSites.demo(data)) {
            assertThat(balance(again, VISITOR)).as("a restart credits nothing more").isEqualTo(10_000);
        }
    }

    @Test
    void a_host_credits_a_member_and_a_repeated_command_credits_once(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            String request = "{\"id\":\"top-up-7\",\"card\":\"" + POOR_VISITOR + "\",\"amount\":2500,\"by\":\"anna\"}";
            JsonNode reply = site.commandRaw("member.credit", request);
            JsonNode again = site.commandRaw("member.credit", request);

            assertThat(reply.path("result").path("balance").asLong()).isEqualTo(2500);
            assertThat(again).isEqualTo(reply);
            assertThat(balance(site, POOR_VISITOR)).isEqualTo(2500);
            JsonNode credited = site.events("payment.credited").getLast();
            assertThat(credited.path("member").asText()).isEqualTo(member(site, POOR_VISITOR));
            assertThat(credited.path("amount").asLong()).isEqualTo(2500);
            assertThat(credited.path("reason").asText()).isEqualTo("top_up");
            assertThat(credited.has("card")).isFalse();

            String byMember = "{\"member\":\"" + member(site, POOR_VISITOR) + "\",\"amount\":1}";
            assertThat(site.command("member.credit", byMember).path("result").path("balance").asLong()).isEqualTo(2501);
        }
    }

    @Test
    void a_bad_credit_is_refused_and_changes_nothing(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            long mark = site.lastSeq();
            assertThat(error(site, "{\"card\":\"" + VISITOR + "\",\"amount\":0}")).isEqualTo("bad_request");
            assertThat(error(site, "{\"card\":\"" + VISITOR + "\",\"amount\":-5}")).isEqualTo("bad_request");
            assertThat(error(site, "{\"card\":\"" + VISITOR + "\",\"amount\":\"100\"}")).isEqualTo("bad_request");
            assertThat(error(site, "{\"card\":\"" + VISITOR + "\",\"amount\":12.5}")).isEqualTo("bad_request");
            assertThat(error(site, "{\"card\":\"" + VISITOR + "\",\"amount\":2000000000}")).isEqualTo("bad_request");
            assertThat(error(site, "{\"card\":\"" + VISITOR + "\"}")).isEqualTo("bad_request");
            assertThat(error(site, "{\"amount\":100}")).isEqualTo("bad_request");
            assertThat(error(site, "{\"card\":\"0DDBA11C\",\"amount\":100}")).isEqualTo("not_found");
            assertThat(error(site, "{\"card\":\"" + VISITOR + "\",\"member\":\"m-x\",\"amount\":100}")).isEqualTo("bad_request");

            assertThat(balance(site, VISITOR)).isEqualTo(10_000);
            assertThat(site.lastSeq()).isEqualTo(mark);
        }
    }

    private static String error(SiteHarness site, String fields) {
        return site.command("member.credit", fields).path("error").path("code").asText();
    }
}
