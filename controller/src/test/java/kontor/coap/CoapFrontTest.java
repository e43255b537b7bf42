package kontor.coap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import kontor.device.Health;
import kontor.device.Signal;
import kontor.core.Topics;
import kontor.mqtt.Json;
import kontor.mqtt.RetainedTopics;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.testing.InMemoryMqtt;
import kontor.time.SimulatedTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CoAP front against libcoap's coap-client, on loopback ports picked by the system. */
class CoapFrontTest {
    static final String SITE = """
            id: small
            name: Small office
            time_zone: Europe/Stockholm
            capacity: 10
            currency: EUR
            hours:
              weekly:
                monday: 08:00-22:00
                tuesday: 08:00-22:00
                wednesday: 08:00-22:00
                thursday: 08:00-22:00
                friday: 08:00-22:00
                saturday: closed
                sunday: closed
            devices:
              - {id: reader-1, kind: card_reader, wiegand: {d0: 5, d1: 6}}
              - {id: pir-1, kind: presence_sensor, input: {gpio: 22}}
              - {id: node-1, kind: presence_sensor, coap: {report_interval: 60s}}
              - {id: node-2, kind: presence_sensor, coap: {report_interval: 60s}}
              - {id: window-1, kind: contact_sensor, coap: {report_interval: 5m}}
              - {id: counter-1, kind: people_counter, coap: {report_interval: 5m}}
            rooms:
              - {id: room-1, name: One, seats: 4, reader: reader-1, presence: [pir-1, node-1]}
            """;
    /** Tuesday 1 December 2026, 10:00 in Stockholm: open. */
    static final Instant TUESDAY_10 = Instant.parse("2026-12-01T09:00:00Z");

    private final Site site = parse(SITE);
    private final Topics topics = Topics.of(site.topicRoot(), site.id());
    private final InMemoryMqtt mqtt = new InMemoryMqtt();
    private final RetainedTopics retained = new RetainedTopics(mqtt);
    private final List<Signal> signals = new CopyOnWriteArrayList<>();
    private final SimulatedTime clock = SimulatedTime.frozen(TUESDAY_10);
    private CoapFront coap;

    @BeforeEach
    void start() {
        mqtt.start();
        coap = start(CoapSettings.loopback(0, Map.of(
                "node-1", NODE_1_KEY.getBytes(UTF_8),
                "node-2", "secret-node-2".getBytes(UTF_8),
                "display-1", "secret-display-1".getBytes(UTF_8))).withReportsPerMinute(5));
    }

    private CoapFront start(CoapSettings settings) {
        CoapFront front = new CoapFront(settings, site, clock, retained, topics, signals::add);
        front.start();
        return front;
    }

    @AfterEach
    void stop() {
        coap.close();
        clock.close();
    }

    private String plain(String path) {
        return "coap://127.0.0.1:" + coap.plainPort() + path;
    }

    private String secure(String path) {
        return "coaps://127.0.0.1:" + coap.dtlsPort() + path;
    }

    private static final String NODE_1_KEY = "secret-node-1";

    private void putRoom(String json) {
        retained.put(topics.roomState("room-1"), json.getBytes(UTF_8));
    }

    @Test
    void discovery_lists_the_site_the_rooms_and_every_report_resource() {
        String links = CoapClient.plain("-m", "get", plain("/.well-known/core")).out();
        assertThat(links).contains("</site>;ct=50", "</rooms/room-1>;ct=50;obs", "</devices/node-1/report>",
                "</devices/window-1/report>", "</devices/counter-1/report>");
        assertThat(links).doesNotContain("pir-1");
    }

    @Test
    void the_site_says_whether_it_is_open_and_how_full_it_is() {
        JsonNode before = Json.tree(CoapClient.plain(plain("/site")).out().getBytes(UTF_8));
        assertThat(before.path("open").asBoolean()).isTrue();
        assertThat(before.path("occupancy").path("present").isNull()).isTrue();
        assertThat(before.path("occupancy").path("capacity").asInt()).isEqualTo(10);

        retained.put(topics.occupancy(), "{\"present\":7,\"capacity\":10}".getBytes(UTF_8));
        JsonNode after = Json.tree(CoapClient.plain(plain("/site")).out().getBytes(UTF_8));
        assertThat(after.path("occupancy").path("present").asInt()).isEqualTo(7);
    }

    @Test
    void a_room_is_its_retained_state_and_anything_else_is_not_found() {
        assertThat(CoapClient.plain(plain("/rooms/room-1")).err()).startsWith("5.03");
        putRoom("{\"status\":\"booked\",\"light\":\"amber\",\"occupied\":false}");
        assertThat(CoapClient.plain(plain("/rooms/room-1")).out())
                .isEqualTo("{\"status\":\"booked\",\"light\":\"amber\",\"occupied\":false}");
        assertThat(CoapClient.plain(plain("/rooms/room-9")).err()).isEqualTo("4.04");
        assertThat(CoapClient.plain(plain("/nothing/here")).err()).isEqualTo("4.04");
        assertThat(CoapClient.plain(plain("/devices/node-1/other")).err()).isEqualTo("4.04");
    }

    @Test
    void an_observer_is_notified_of_every_change_of_the_room() {
        putRoom("{\"status\":\"free\"}");
        try (CoapClient.Observer display = CoapClient.observe(60, plain("/rooms/room-1"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> display.lines().size() == 1);
            putRoom("{\"status\":\"booked\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> display.lines().size() == 2);
            putRoom("{\"status\":\"in_use\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> display.lines().size() == 3);
            putRoom("{\"status\":\"free\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> display.lines().size() == 4);
            assertThat(display.lines()).containsExactly("{\"status\":\"free\"}", "{\"status\":\"booked\"}",
                    "{\"status\":\"in_use\"}", "{\"status\":\"free\"}");
        }
    }

    @Test
    void a_report_over_plain_coap_on_loopback_becomes_the_signals_of_a_wired_sensor() {
        CoapClient.Result r = CoapClient.plain("-m", "post", "-t", "50", "-e", "{\"motion\":true,\"battery\":87}",
                plain("/devices/node-1/report"));
        assertThat(r.all()).isEmpty(); // 2.04 without a payload: coap-client prints nothing
        assertThat(signals).containsExactly(new Signal.HealthChanged("node-1", Health.ONLINE),
                new Signal.MotionChanged("node-1", true), new Signal.BatteryReport("node-1", 87));
    }

    @Test
    void contact_and_counter_nodes_report_like_their_wired_kinds() {
        CoapClient.plain("-m", "post", "-t", "50", "-e", "{\"contact\":false}", plain("/devices/window-1/report"));
        CoapClient.plain("-m", "post", "-t", "50", "-e", "{\"in\":3,\"out\":1}", plain("/devices/counter-1/report"));
        CoapClient.plain("-m", "post", "-t", "50", "-e", "{}", plain("/devices/counter-1/report"));
        assertThat(signals).containsExactly(
                new Signal.HealthChanged("window-1", Health.ONLINE), new Signal.ContactChanged("window-1", true),
                new Signal.HealthChanged("counter-1", Health.ONLINE), new Signal.PeopleCounted("counter-1", 3, 1),
                new Signal.HealthChanged("counter-1", Health.ONLINE));
    }

    @Test
    void a_report_over_dtls_with_the_nodes_own_key_is_taken() {
        CoapClient.Result r = CoapClient.dtls("node-1", NODE_1_KEY, "-m", "post", "-t", "50", "-e", "{\"motion\":false}",
                secure("/devices/node-1/report"));
        assertThat(r.err()).isEmpty();
        assertThat(signals).containsExactly(new Signal.HealthChanged("node-1", Health.ONLINE),
                new Signal.MotionChanged("node-1", false));
    }

    @Test
    void a_wrong_key_gets_no_session_and_the_server_keeps_serving() {
        CoapClient.Result r = CoapClient.dtls("node-1", "not-the-right-key", "-B", "2", "-m", "post", "-t", "50", "-e",
                "{\"motion\":true}", secure("/devices/node-1/report"));
        assertThat(r.all()).doesNotStartWith("2.").isNotEmpty();
        CoapClient.Result unknown = CoapClient.dtls("stranger", "some-key-1234", "-B", "2", "-m", "post", "-t", "50", "-e", "{\"motion\":true}",
                secure("/devices/node-1/report"));
        assertThat(unknown.all()).isNotEmpty();
        assertThat(signals).isEmpty();

        CoapClient.dtls("node-1", NODE_1_KEY, "-m", "post", "-t", "50", "-e", "{\"motion\":true}", secure("/devices/node-1/report"));
        assertThat(signals).contains(new Signal.MotionChanged("node-1", true));
    }

    @Test
    void a_node_cannot_report_for_another_and_a_display_cannot_report_at_all() {
        assertThat(CoapClient.dtls("node-1", NODE_1_KEY, "-m", "post", "-t", "50", "-e", "{\"motion\":true}",
                secure("/devices/node-2/report")).err())
                .isEqualTo("4.03 the PSK identity 'node-1' may only report for itself, not for node-2");
        assertThat(CoapClient.dtls("display-1", "secret-display-1", "-m", "post", "-t", "50", "-e", "{\"motion\":true}",
                secure("/devices/node-1/report")).err()).startsWith("4.03");
        assertThat(signals).isEmpty();

        putRoom("{\"status\":\"free\"}");
        assertThat(CoapClient.dtls("display-1", "secret-display-1", secure("/rooms/room-1")).out())
                .isEqualTo("{\"status\":\"free\"}");
    }

    @Test
    void unknown_and_wired_devices_cannot_report() {
        assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", "{\"motion\":true}", plain("/devices/nobody/report")).err())
                .isEqualTo("4.03 no device called 'nobody' is declared in the site file");
        assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", "{\"motion\":true}", plain("/devices/pir-1/report")).err())
                .isEqualTo("4.03 'pir-1' is not a CoAP node in the site file");
        assertThat(signals).isEmpty();
    }

    @Test
    void malformed_reports_get_4_00_with_the_reason_and_change_nothing() {
        Map<String, String> cases = Map.of(
                "not json", "4.00 not JSON",
                "[true]", "4.00 a report is a JSON object such as {\"motion\":true,\"battery\":87}",
                "{\"motion\":\"yes\"}", "4.00 'motion' must be true or false, not \"yes\"",
                "{\"battery\":120}", "4.00 'battery' must be a whole number 0..100, not 120",
                "{\"in\":2}", "4.00 'in' is not part of a presence_sensor's report; it may have motion, battery",
                "{\"motion\":true,\"motion\":false}", "4.00 not JSON");
        cases.forEach((payload, answer) -> {
            clock.advance(Duration.ofMinutes(1)); // not to meet the rate limit
            assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", payload, plain("/devices/node-2/report")).err())
                    .as(payload).startsWith(answer);
        });
        assertThat(CoapClient.plain("-m", "post", "-t", "0", "-e", "{}", plain("/devices/node-2/report")).err())
                .startsWith("4.15");
        assertThat(signals).isEmpty();
        assertThat(CoapClient.plain(plain("/site")).out()).contains("\"open\":true");
    }

    @Test
    void an_oversized_report_gets_4_00() {
        String big = "{\"motion\":true,\"note\":\"" + "x".repeat(600) + "\"}";
        assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", big, plain("/devices/node-2/report")).err())
                .startsWith("4.00 the report has " + big.length() + " bytes; at most 256 are accepted");
        assertThat(signals).isEmpty();
    }

    @Test
    void a_node_over_its_rate_gets_4_29_until_the_minute_is_over() {
        for (int i = 0; i < 5; i++) {
            assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", "{}", plain("/devices/node-1/report")).err()).isEmpty();
        }
        assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", "{\"motion\":true}", plain("/devices/node-1/report")).err())
                .isEqualTo("4.29 more than 5 reports a minute from node-1");
        assertThat(signals).doesNotContain(new Signal.MotionChanged("node-1", true));
        // Another node has its own allowance.
        assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", "{}", plain("/devices/node-2/report")).err()).isEmpty();

        clock.advance(Duration.ofSeconds(61));
        assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", "{\"motion\":true}", plain("/devices/node-1/report")).err()).isEmpty();
        assertThat(signals).contains(new Signal.MotionChanged("node-1", true));
    }

    @Test
    void refused_and_plain_reports_do_not_use_up_a_dtls_nodes_allowance() {
        // Issue 14: invalid reports over plain CoAP in node-1's name left the real node refused with 4.29.
        for (int i = 0; i < 8; i++) {
            assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", "{\"motion\":\"yes\"}",
                    plain("/devices/node-1/report")).err()).startsWith("4.00");
            assertThat(CoapClient.plain("-m", "post", "-e", "{}", plain("/devices/node-1/report")).err())
                    .isEqualTo("4.15 a report is JSON and must say so: content format 50 (application/json); it has none");
        }
        // Plain CoAP in node-1's name has an allowance of its own, and uses it up …
        for (int i = 0; i < 5; i++) {
            assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", "{}", plain("/devices/node-1/report")).err()).isEmpty();
        }
        assertThat(CoapClient.plain("-m", "post", "-t", "50", "-e", "{}", plain("/devices/node-1/report")).err()).startsWith("4.29");
        // … while the node itself, over DTLS with its key, still reports.
        for (int i = 0; i < 5; i++) {
            assertThat(CoapClient.dtls("node-1", NODE_1_KEY, "-m", "post", "-t", "50", "-e", "{\"motion\":true}",
                    secure("/devices/node-1/report")).err()).isEmpty();
        }
        assertThat(signals).contains(new Signal.MotionChanged("node-1", true));
    }

    @Test
    void one_socket_may_observe_only_so_many_times_and_what_it_holds_goes_on_being_notified() throws Exception {
        putRoom("{\"status\":\"free\"}");
        org.eclipse.californium.core.network.CoapEndpoint socket = new org.eclipse.californium.core.network.CoapEndpoint.Builder()
                .setInetSocketAddress(new java.net.InetSocketAddress("127.0.0.1", 0)).build();
        org.eclipse.californium.core.CoapClient client = new org.eclipse.californium.core.CoapClient(plain("/rooms/room-1"));
        client.setEndpoint(socket);
        List<org.eclipse.californium.core.CoapObserveRelation> relations = new java.util.ArrayList<>();
        List<String> codes = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger notified = new java.util.concurrent.atomic.AtomicInteger();
        try {
            List<String> texts = new CopyOnWriteArrayList<>();
            for (int i = 0; i < ObserverLimit.PER_CLIENT + 4; i++) {
                java.util.concurrent.CompletableFuture<org.eclipse.californium.core.CoapResponse> first =
                        new java.util.concurrent.CompletableFuture<>();
                relations.add(client.observe(new org.eclipse.californium.core.CoapHandler() {
                    @Override
                    public void onLoad(org.eclipse.californium.core.CoapResponse response) {
                        if (!first.complete(response) && response.getResponseText().contains("booked")) {
                            notified.incrementAndGet();
                        }
                    }

                    @Override
                    public void onError() {
                        first.completeExceptionally(new AssertionError("no answer to an observe request"));
                    }
                }));
                org.eclipse.californium.core.CoapResponse answer = first.get(10, java.util.concurrent.TimeUnit.SECONDS);
                codes.add(answer.getCode().toString());
                texts.add(answer.getResponseText());
            }
            assertThat(codes.subList(0, ObserverLimit.PER_CLIENT)).allMatch(c -> c.equals("2.05"));
            assertThat(codes.subList(ObserverLimit.PER_CLIENT, codes.size())).allMatch(c -> c.equals("4.29"));
            assertThat(texts.getLast())
                    .isEqualTo("at most " + ObserverLimit.PER_CLIENT + " observations per client");
            // Another socket still may.
            assertThat(CoapClient.plain(plain("/rooms/room-1")).out()).isEqualTo("{\"status\":\"free\"}");

            putRoom("{\"status\":\"booked\"}");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> notified.get() == ObserverLimit.PER_CLIENT);
        } finally {
            relations.forEach(org.eclipse.californium.core.CoapObserveRelation::proactiveCancel);
            client.shutdown();
            socket.destroy();
        }
    }

    @Test
    void production_serves_dtls_only() {
        try (CoapFront production = start(CoapSettings.dtlsOnly(java.net.InetAddress.getLoopbackAddress(), 0,
                Map.of("node-1", NODE_1_KEY.getBytes(UTF_8))))) {
            assertThat(production.plainPort()).isEqualTo(-1);
            assertThat(CoapClient.plain("-B", "2", "-m", "post", "-t", "50", "-e", "{\"motion\":true}",
                    "coap://127.0.0.1:" + production.dtlsPort() + "/devices/node-1/report").out()).doesNotContain("2.04");
            assertThat(CoapClient.dtls("node-1", NODE_1_KEY, "-m", "post", "-t", "50", "-e", "{\"motion\":true}",
                    "coaps://127.0.0.1:" + production.dtlsPort() + "/devices/node-1/report").err()).isEmpty();
            assertThat(signals).containsExactly(new Signal.HealthChanged("node-1", Health.ONLINE),
                    new Signal.MotionChanged("node-1", true));
        }
    }

    @Test
    void a_taken_port_is_one_clear_sentence() {
        CoapSettings same = new CoapSettings(java.net.InetAddress.getLoopbackAddress(), 0, coap.plainPort(), Map.of(),
                5, 256);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(same))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is the port taken");
    }

    @Test
    void settings_never_show_a_key() {
        assertThat(CoapSettings.loopback(5683, Map.of("node-1", NODE_1_KEY.getBytes(UTF_8))).toString())
                .contains("node-1", "plainPort=5683", "dtlsPort=5684").doesNotContain(NODE_1_KEY);
    }

    static Site parse(String yaml) {
        try {
            return SiteFiles.parse("small.yaml", yaml);
        } catch (kontor.site.SiteFileException e) {
            throw new AssertionError(e.problems().toString(), e);
        }
    }
}
