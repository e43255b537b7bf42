package kontor.sim.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.members.Role;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolling at a reader: a host's card, then the new card within the enrol window (30 s by default). */
class EnrolAtReaderTest {
    private static final String READER = "reader-entrance";
    private static final String NEW_CARD = "5EC0FFEE";

    @TempDir
    Path data;
    SiteHarness site;

    @BeforeEach
    void start() {
        site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T10:00:00"));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void a_new_card_tapped_after_a_hosts_card_becomes_a_visitor_and_is_let_in_at_its_next_tap() {
        JsonNode host = site.tap(READER, DemoCards.HOST);
        site.advance(Duration.ofSeconds(20));

        JsonNode enrolled = site.tap(READER, NEW_CARD);

        assertThat(enrolled.path("type").asText()).isEqualTo("card.enrolled");
        assertThat(enrolled.path("by").asText()).isEqualTo(host.path("member").asText());
        assertThat(enrolled.path("role").asText()).isEqualTo("visitor");
        assertThat(enrolled.path("card").asText()).isEqualTo("…FFEE");
        assertThat(enrolled.toString()).doesNotContain(NEW_CARD);
        assertThat(site.gateway().members().byCard(NEW_CARD)).get()
                .satisfies(m -> assertThat(m.role()).isEqualTo(Role.VISITOR));

        assertThat(site.tap(READER, NEW_CARD).path("type").asText()).isEqualTo("card.granted");
    }

    @Test
    void after_the_window_or_after_one_card_an_unknown_card_is_refused_as_before() {
        site.tap(READER, DemoCards.HOST);
        site.advance(Duration.ofSeconds(31));
        assertThat(site.tap(READER, NEW_CARD).path("reason").asText()).isEqualTo("unknown_card");

        site.tap(READER, DemoCards.HOST);
        assertThat(site.tap(READER, NEW_CARD).path("type").asText()).isEqualTo("card.enrolled");
        assertThat(site.tap(READER, "5EC0FFEF").path("reason").asText()).as("one card per host tap").isEqualTo("unknown_card");
    }

    @Test
    void a_visitors_tap_opens_no_window_and_the_window_belongs_to_its_reader() {
        site.tap(READER, DemoCards.VISITOR);
        assertThat(site.tap(READER, NEW_CARD).path("reason").asText()).isEqualTo("unknown_card");

        site.tap(READER, DemoCards.HOST);
        assertThat(site.tap("reader-room-1", NEW_CARD).path("reason").asText()).isEqualTo("unknown_card");
        assertThat(site.gateway().members().byCard(NEW_CARD)).isEmpty();
    }
}
