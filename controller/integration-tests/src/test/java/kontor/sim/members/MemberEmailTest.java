package kontor.sim.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code member.email}: a member's address for linked calendars, personal data shown only masked. */
class MemberEmailTest {
    @TempDir
    Path data;
    private SiteHarness site;

    @BeforeEach
    void start() {
        site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T09:00:00"));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    private JsonNode show(String card) {
        return site.command("member.show", "{\"card\":\"" + card + "\"}").path("result");
    }

    @Test
    void the_demo_members_have_their_addresses_shown_masked() {
        assertThat(show(DemoCards.VISITOR).path("email").asText()).isEqualTo("a…@example.org");
        assertThat(show(DemoCards.ACCESSIBLE_VISITOR).path("email").asText()).isEqualTo("b…@example.org");
        assertThat(show(DemoCards.HOST).path("email").asText()).isEqualTo("h…@example.org");
    }

    @Test
    void an_address_is_set_normalised_and_journaled_masked_and_can_be_removed() {
        JsonNode reply = site.command("member.email", "{\"card\":\"" + DemoCards.HOST + "\",\"email\":\"mailto:Desk@Office.Example\",\"by\":\"anna\"}");
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
        assertThat(reply.path("result").path("email").asText()).isEqualTo("d…@office.example");
        JsonNode event = site.events("member.email_set").getLast();
        assertThat(event.path("email").asText()).isEqualTo("d…@office.example");
        assertThat(event.toString()).doesNotContain("desk@");

        JsonNode removed = site.command("member.email", "{\"card\":\"" + DemoCards.HOST + "\",\"email\":null}");
        assertThat(removed.path("ok").asBoolean()).as(removed.toString()).isTrue();
        assertThat(show(DemoCards.HOST).path("email").asText(null)).isNull();
    }

    @Test
    void a_bad_or_taken_address_is_refused_and_changes_nothing() {
        JsonNode bad = site.command("member.email", "{\"card\":\"" + DemoCards.HOST + "\",\"email\":\"not an address\"}");
        assertThat(bad.path("error").path("code").asText()).isEqualTo("bad_request");
        JsonNode taken = site.command("member.email", "{\"card\":\"" + DemoCards.HOST + "\",\"email\":\"ALICE@example.org\"}");
        assertThat(taken.path("error").path("code").asText()).isEqualTo("conflict");
        JsonNode missing = site.command("member.email", "{\"card\":\"" + DemoCards.HOST + "\"}");
        assertThat(missing.path("error").path("code").asText()).isEqualTo("bad_request");
        assertThat(show(DemoCards.HOST).path("email").asText()).isEqualTo("h…@example.org");
        assertThat(site.events("member.email_set")).isEmpty();
    }

    @Test
    void a_host_finds_a_member_by_their_address_and_the_reply_shows_it_masked() {
        String alice = show(DemoCards.VISITOR).path("member").asText();
        JsonNode found = site.command("member.show", "{\"email\":\" Alice@Example.org \"}");
        assertThat(found.path("ok").asBoolean()).as(found.toString()).isTrue();
        assertThat(found.path("result").path("member").asText()).isEqualTo(alice);
        assertThat(found.path("result").toString()).doesNotContain("alice@");

        assertThat(site.command("member.show", "{\"email\":\"nobody@example.org\"}").path("error").path("code").asText())
                .isEqualTo("not_found");
        assertThat(site.command("member.show", "{\"email\":\"not an address\"}").path("error").path("code").asText())
                .isEqualTo("bad_request");
        assertThat(site.command("member.show", "{\"email\":\"alice@example.org\",\"member\":\"" + alice + "\"}")
                .path("error").path("code").asText()).isEqualTo("bad_request");
    }
}
