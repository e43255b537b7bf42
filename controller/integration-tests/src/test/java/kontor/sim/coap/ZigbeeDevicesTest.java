package kontor.sim.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.sim.SiteHarness;
import kontor.sim.demo.SimulatedSite;
import kontor.time.SimulatedTime;
import kontor.site.Site;
import kontor.site.SiteFileException;
import kontor.site.SiteFiles;
import kontor.testing.Mosquitto;
import kontor.testing.TestMqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zigbee2MQTT devices declared in the site file: what they publish is what a wired device would say. */
class ZigbeeDevicesTest {
    static final String SITE = """
            id: zb
            name: Zigbee office
            time_zone: Europe/Stockholm
            capacity: 10
            currency: EUR
            hours:
              weekly: {monday: 08:00-22:00, tuesday: 08:00-22:00, wednesday: 08:00-22:00, thursday: 08:00-22:00,
                       friday: 08:00-22:00, saturday: closed, sunday: closed}
            devices:
              - {id: reader-1, kind: card_reader, wiegand: {d0: 5, d1: 6}}
              - id: zb-motion
                kind: presence_sensor
                mqtt: {topic: zigbee2mqtt/room-1-motion, availability_topic: zigbee2mqtt/room-1-motion/availability}
              - {id: zb-door, kind: contact_sensor, mqtt: {topic: zigbee2mqtt/back-door}}
              - {id: zb-counter, kind: people_counter, mqtt: {topic: zigbee2mqtt/counter, report_interval: 10m}}
            rooms:
              - {id: room-1, name: One, seats: 4, reader: reader-1, presence: [zb-motion]}
            """;
    private static final LocalDateTime TUESDAY_9 = LocalDateTime.parse("2026-12-01T09:00:00");

    @TempDir
    Path data;

    static Site site() {
        try {
            return SiteFiles.parse("zb.yaml", SITE);
        } catch (SiteFileException e) {
            throw new AssertionError(e.problems().toString(), e);
        }
    }

    private static void z2m(SiteHarness site, String topic, String payload) {
        site.mqtt().clientPublish(topic, payload, null, null);
        site.settle();
    }

    @Test
    void occupancy_and_availability_of_a_zigbee_motion_sensor() {
        try (SiteHarness site = SiteHarness.of(site(), data, TUESDAY_9)) {
            z2m(site, "zigbee2mqtt/room-1-motion/availability", "{\"state\":\"online\"}");
            z2m(site, "zigbee2mqtt/room-1-motion", "{\"occupancy\":true,\"battery\":91,\"linkquality\":87}");
            assertThat(site.events("device.online")).extracting(e -> e.path("device").asText()).containsExactly("zb-motion");
            assertThat(site.retained("devices/zb-motion/state").path("motion").asBoolean()).isTrue();
            assertThat(site.retained("devices/zb-motion/state").path("battery").asInt()).isEqualTo(91);

            z2m(site, "zigbee2mqtt/room-1-motion/availability", "offline");
            assertThat(site.events("device.offline")).hasSize(1);
            assertThat(site.retained("alarms/device.offline:zb-motion").path("detail").asText())
                    .isEqualTo("Zigbee2MQTT reports it offline");
        }
    }

    @Test
    void a_zigbee_contact_is_closed_when_it_says_contact_true() {
        try (SiteHarness site = SiteHarness.of(site(), data, TUESDAY_9)) {
            z2m(site, "zigbee2mqtt/back-door", "{\"contact\":false,\"battery\":80}");
            z2m(site, "zigbee2mqtt/back-door", "{\"contact\":true,\"battery\":80}");
            assertThat(site.events()).filteredOn(e -> e.path("device").asText().equals("zb-door"))
                    .extracting(e -> e.path("type").asText())
                    .containsExactly("device.online", "door.opened", "door.closed");
        }
    }

    @Test
    void malformed_messages_are_ignored_and_change_nothing() {
        try (SiteHarness site = SiteHarness.of(site(), data, TUESDAY_9)) {
            z2m(site, "zigbee2mqtt/back-door", "{\"contact\":true}");
            long mark = site.lastSeq();
            String state = site.mqtt().retained("kontor/zb/devices/zb-door/state");
            z2m(site, "zigbee2mqtt/back-door", "{\"contact\":\"open\",\"battery\":3}");
            z2m(site, "zigbee2mqtt/back-door", "not json");
            z2m(site, "zigbee2mqtt/room-1-motion/availability", "perhaps");
            assertThat(site.lastSeq()).isEqualTo(mark);
            assertThat(site.mqtt().retained("kontor/zb/devices/zb-door/state")).isEqualTo(state);
        }
    }

    @Test
    void a_counter_without_availability_topic_is_offline_after_three_silent_intervals_and_warns_of_its_battery() {
        try (SiteHarness site = SiteHarness.of(site(), data, TUESDAY_9)) {
            z2m(site, "zigbee2mqtt/counter", "{\"in\":2,\"out\":1,\"battery\":12}");
            assertThat(site.retained("devices/zb-counter/state").path("in").asInt()).isEqualTo(2);
            assertThat(site.retained("alarms/device.battery_low:zb-counter").path("battery").asInt()).isEqualTo(12);

            site.advance(Duration.ofMinutes(29));
            assertThat(site.events("device.offline")).isEmpty();
            site.advance(Duration.ofMinutes(1));
            assertThat(site.events("device.offline")).extracting(e -> e.path("device").asText()).containsExactly("zb-counter");

            z2m(site, "zigbee2mqtt/counter", "{\"in\":1,\"battery\":100}");
            assertThat(site.retained("devices/zb-counter/state").path("in").asInt()).isEqualTo(3);
            assertThat(site.retained("alarms/device.offline:zb-counter")).isNull();
            assertThat(site.retained("alarms/device.battery_low:zb-counter")).isNull();
        }
    }

    @Test
    void zigbee2mqtt_messages_arrive_through_a_real_broker() {
        Site site = site();
        try (Mosquitto broker = Mosquitto.startAnonymous();
             SimulatedTime time = SimulatedTime.frozen(TUESDAY_9.atZone(site.zone()).toInstant());
             SimulatedSite world = SimulatedSite.start(site, data, time, time, will -> new PahoMqttPort(
                     MqttSettings.builder(broker.url(), "kontor-zb").will(will.topic(), will.payload(), true).build()));
             TestMqttClient zigbee2mqtt = TestMqttClient.connect(broker.url()).subscribe("kontor/zb/devices/#")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> world.gateway().mqtt().connected());
            zigbee2mqtt.publish("zigbee2mqtt/room-1-motion/availability", "online");
            zigbee2mqtt.publish("zigbee2mqtt/room-1-motion", "{\"occupancy\":true}");
            zigbee2mqtt.awaitMessage(m -> m.topic().equals("kontor/zb/devices/zb-motion/state")
                    && TestMqttClient.text(m).contains("\"motion\":true"));
            zigbee2mqtt.awaitMessage(m -> m.topic().equals("kontor/zb/devices/zb-motion/availability")
                    && TestMqttClient.text(m).equals("online"));
        }
    }
}
