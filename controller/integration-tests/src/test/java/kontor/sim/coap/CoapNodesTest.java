package kontor.sim.coap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import kontor.coap.CoapClient;
import kontor.coap.CoapFront;
import kontor.coap.CoapSettings;
import kontor.sim.SiteHarness;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo site's battery node {@code node-room-3} (report interval 60 s) and a door display, against the
 * whole gateway on frozen time, with libcoap's coap-client as the node.
 */
class CoapNodesTest {
    private static final String NODE = "node-room-3";
    private static final String KEY = "demo-psk-room-3";

    @TempDir
    Path data;
    private SiteHarness site;
    private CoapFront coap;

    @BeforeEach
    void start() {
        site = SiteHarness.of(SiteFiles.demo(), data, LocalDateTime.parse("2026-12-01T09:00:00"),
                CoapSettings.loopback(0, Map.of(NODE, KEY.getBytes(UTF_8))));
        coap = site.gateway().coap();
    }

    @AfterEach
    void stop() {
        site.close();
    }

    private CoapClient.Result report(String json) {
        CoapClient.Result r = CoapClient.dtls(NODE, KEY, "-m", "post", "-t", "50", "-e", json,
                "coaps://127.0.0.1:" + coap.dtlsPort() + "/devices/" + NODE + "/report");
        site.settle();
        return r;
    }

    @Test
    void a_motion_report_over_dtls_is_what_a_wired_sensor_would_say() {
        assertThat(report("{\"motion\":true,\"battery\":87}").all()).isEmpty();
        site.awaitEvent("device.online", e -> e.path("device").asText().equals(NODE));
        assertThat(site.retained("devices/" + NODE + "/state").path("motion").asBoolean()).isTrue();
        assertThat(site.retained("devices/" + NODE + "/state").path("battery").asInt()).isEqualTo(87);
        assertThat(site.mqtt().retained("kontor/demo/devices/" + NODE + "/availability")).isEqualTo("online");
    }

    @Test
    void a_node_silent_for_three_intervals_goes_offline_and_its_next_report_brings_it_back() {
        report("{\"motion\":false}");
        site.advance(Duration.ofSeconds(179));
        assertThat(site.events("device.offline")).isEmpty();

        site.advance(Duration.ofSeconds(1));
        assertThat(site.events("device.offline")).singleElement()
                .satisfies(e -> assertThat(e.path("device").asText()).isEqualTo(NODE));
        assertThat(site.retained("alarms/device.offline:" + NODE)).isNotNull();

        long mark = site.lastSeq();
        report("{}");
        site.awaitEvent(mark, "device.online", e -> e.path("device").asText().equals(NODE));
        assertThat(site.retained("alarms/device.offline:" + NODE)).isNull();
    }

    @Test
    void a_node_that_never_reports_is_offline_after_three_intervals() {
        site.advance(Duration.ofMinutes(3));
        assertThat(site.events("alarm.raised")).anySatisfy(e -> {
            assertThat(e.path("alarm").asText()).isEqualTo("device.offline:" + NODE);
            assertThat(e.path("detail").asText()).isEqualTo("no report for 3 report intervals of 60 s");
        });
        assertThat(site.events("device.offline")).hasSize(1);
    }

    @Test
    void a_low_battery_raises_an_alarm_until_the_battery_recovers() {
        report("{\"battery\":15}");
        assertThat(site.retained("alarms/device.battery_low:" + NODE).path("battery").asInt()).isEqualTo(15);
        report("{\"battery\":22}");
        assertThat(site.retained("alarms/device.battery_low:" + NODE)).isNotNull();
        report("{\"battery\":96}");
        assertThat(site.retained("alarms/device.battery_low:" + NODE)).isNull();
        assertThat(site.events("alarm.cleared")).extracting(e -> e.path("alarm").asText())
                .containsExactly("device.battery_low:" + NODE);
    }

    @Test
    void refused_reports_change_nothing_and_the_server_keeps_serving() {
        report("{\"motion\":true}");
        long mark = site.lastSeq();
        String state = site.mqtt().retained("kontor/demo/devices/" + NODE + "/state");

        assertThat(report("{\"motion\":\"maybe\"}").err()).startsWith("4.00");
        assertThat(report("{\"in\":4}").err()).startsWith("4.00");
        assertThat(CoapClient.dtls(NODE, KEY, "-m", "post", "-t", "50", "-e", "{\"motion\":true}",
                "coaps://127.0.0.1:" + coap.dtlsPort() + "/devices/pir-room-1/report").err()).startsWith("4.03");

        assertThat(site.lastSeq()).isEqualTo(mark);
        assertThat(site.mqtt().retained("kontor/demo/devices/" + NODE + "/state")).isEqualTo(state);
        assertThat(report("{\"motion\":false}").all()).isEmpty();
        assertThat(site.retained("devices/" + NODE + "/state").path("motion").asBoolean()).isFalse();
    }

    @Test
    void a_door_display_follows_the_room_state_as_it_is_published() {
        putRoomState("{\"status\":\"free\",\"light\":\"green\",\"occupied\":false}");
        try (CoapClient.Observer display = CoapClient.observe(60, "coap://127.0.0.1:" + coap.plainPort() + "/rooms/room-1")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> display.lines().size() == 1);
            putRoomState("{\"status\":\"booked\",\"light\":\"amber\",\"occupied\":false}");
            await().atMost(Duration.ofSeconds(10)).until(() -> display.lines().size() == 2);
            putRoomState("{\"status\":\"in_use\",\"light\":\"red\",\"occupied\":true}");
            await().atMost(Duration.ofSeconds(10)).until(() -> display.lines().size() == 3);
            assertThat(display.lines()).extracting(l -> l.replaceAll(".*\"status\":\"([a-z_]+)\".*", "$1"))
                    .containsExactly("free", "booked", "in_use");
        }
        assertThat(CoapClient.plain("coap://127.0.0.1:" + coap.plainPort() + "/rooms/room-1").out())
                .isEqualTo(site.mqtt().retained("kontor/demo/rooms/room-1/state"));
    }

    @Test
    void a_door_display_reads_the_rooms_free_busy_without_names() {
        JsonNode booked = site.command("room.book", "{\"room\":\"room-1\",\"card\":\"04A1B2C3D4E501\","
                + "\"start\":\"2026-12-01T10:00:00+01:00\",\"end\":\"2026-12-01T11:30:00+01:00\"}");
        assertThat(booked.path("ok").asBoolean()).as(booked.toString()).isTrue();
        String feed = CoapClient.plain("coap://127.0.0.1:" + coap.plainPort() + "/rooms/room-1/freebusy").out();
        assertThat(feed).contains("BEGIN:VFREEBUSY").contains("FREEBUSY;FBTYPE=BUSY:20261201T090000Z/20261201T103000Z")
                .doesNotContain(booked.path("result").path("booking").path("member").asText("m-"))
                .doesNotContain("@example.org");
        assertThat(CoapClient.plain("coap://127.0.0.1:" + coap.plainPort() + "/rooms/room-2/freebusy").out())
                .contains("BEGIN:VFREEBUSY").doesNotContain("FBTYPE=BUSY");
    }

    /** Publishes a room's retained state on the site thread, as the rooms service does. */
    private void putRoomState(String json) {
        site.onSiteThread(() ->
            site.gateway().context().retained().put(site.gateway().topics().roomState("room-1"), json.getBytes(UTF_8)));
    }
}
