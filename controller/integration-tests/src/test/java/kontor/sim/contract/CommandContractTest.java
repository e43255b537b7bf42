package kontor.sim.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import kontor.sim.SiteHarness;
import kontor.sim.SiteHarness.Transport;
import kontor.sim.demo.DemoCards;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT contract of docs/reference.md ("Commands", "Events"), once over the in-memory fake and once over a
 * real Mosquitto that the gateway reaches through Paho: what holds for one transport must hold for the other,
 * so a fake that drifts from a real broker shows here.
 */
class CommandContractTest {
    private static final LocalDateTime TUESDAY_MORNING = LocalDateTime.parse("2026-12-01T09:00:00");
    private static final String UNKNOWN_CARD = "0DDBA11C";

    @TempDir
    Path data;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void a_command_is_answered_with_its_id_and_a_result(Transport transport) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING, transport)) {
            JsonNode reply = site.commandRaw("gateway.info", "{\"id\":\"info-1\"}");

            assertThat(reply.path("id").asText()).isEqualTo("info-1");
            assertThat(reply.path("ok").asBoolean()).isTrue();
            JsonNode result = reply.path("result");
            assertThat(result.path("site").asText()).isEqualTo("demo");
            assertThat(result.path("devices").asInt()).isPositive();
            assertThat(result.path("journal").has("last_seq")).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void the_same_id_gets_the_first_reply_again_and_does_nothing_twice(Transport transport) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING, transport)) {
            long before = balance(site);
            long mark = site.lastSeq();
            String credit = "{\"id\":\"credit-1\",\"card\":\"" + DemoCards.VISITOR + "\",\"amount\":500}";

            JsonNode first = site.commandRaw("member.credit", credit);
            JsonNode again = site.commandRaw("member.credit", credit);

            assertThat(again).isEqualTo(first);
            assertThat(first.path("result").path("balance").asLong()).isEqualTo(before + 500);
            assertThat(balance(site)).isEqualTo(before + 500);
            assertThat(site.events("payment.credited")).filteredOn(e -> e.path("seq").asLong() > mark).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void malformed_and_unknown_requests_are_refused_and_change_nothing(Transport transport) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING, transport)) {
            long mark = site.lastSeq();

            JsonNode notJson = site.commandRaw("gateway.info", "not json");
            assertThat(notJson.path("error").path("code").asText()).isEqualTo("bad_request");
            assertThat(notJson.path("id").isNull()).isTrue();
            assertThat(site.command("no.such.command", "").path("error").path("code").asText()).isEqualTo("unknown_command");
            assertThat(site.command("locker.open", "{\"locker\":\"locker-99\"}").path("error").path("code").asText())
                    .isEqualTo("not_found");

            assertThat(site.lastSeq()).as("no event from a refused request").isEqualTo(mark);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void events_come_gap_free_in_seq_order_and_never_with_a_raw_card(Transport transport) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING, transport)) {
            assertThat(site.tap("reader-room-1", UNKNOWN_CARD).path("card").asText()).isEqualTo("…A11C");
            assertThat(site.tap("reader-room-1", DemoCards.VISITOR).path("type").asText()).isEqualTo("card.granted");
            site.settle();

            List<JsonNode> events = site.events();
            assertThat(events).extracting(e -> e.path("seq").asLong())
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, site.lastSeq()).boxed().toList());
            assertThat(events).allSatisfy(e -> {
                assertThat(e.has("ts")).isTrue();
                assertThat(e.has("type")).isTrue();
                assertThat(e.toString()).doesNotContain(UNKNOWN_CARD).doesNotContain(DemoCards.VISITOR);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void state_is_retained_and_a_replay_sends_a_range_again(Transport transport) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING, transport)) {
            assertThat(site.retained("gateway/status").path("state").asText()).isEqualTo("online");

            site.tap("reader-room-1", UNKNOWN_CARD);
            site.settle();
            int before = site.events().size();
            // The page is in the reply, to the requester only: nothing old goes out on {root}/events again.
            JsonNode page = site.command("events.replay", "{\"from_seq\":1,\"to_seq\":2}").path("result");
            assertThat(page.path("count").asLong()).isEqualTo(2);
            assertThat(page.path("events")).extracting(e -> e.path("seq").asLong()).containsExactly(1L, 2L);
            site.settle();
            assertThat(site.events()).hasSize(before);
        }
    }

    private static long balance(SiteHarness site) {
        return site.command("member.show", "{\"card\":\"" + DemoCards.VISITOR + "\"}").path("result").path("balance").asLong();
    }
}
