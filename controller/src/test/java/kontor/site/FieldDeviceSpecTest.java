package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Field devices (MQTT, CoAP) of every kind that has them, and the {@code coap} section. */
class FieldDeviceSpecTest {
    private static final String FIELD_DEVICES = """
              - {id: zb-door, kind: contact_sensor, mqtt: {topic: zigbee2mqtt/door, availability_topic: zigbee2mqtt/door/availability}}
              - {id: zb-count, kind: people_counter, mqtt: {topic: zigbee2mqtt/count, report_interval: 1h}}
              - {id: node-window, kind: contact_sensor, coap: {report_interval: 2m}}
              - {id: node-count, kind: people_counter, coap: {}}
            rooms:""";

    private static List<Problem> problems(String yaml) {
        try {
            SiteFiles.parse("t.yaml", yaml);
            return List.of();
        } catch (SiteFileException e) {
            return e.problems();
        }
    }

    @Test
    void contact_sensors_and_people_counters_may_be_mqtt_or_coap_devices() throws Exception {
        Site site = SiteFiles.parse("t.yaml", SiteFileProblemsTest.MINIMAL.replace("rooms:", FIELD_DEVICES));
        assertThat(site.device("zb-door", ContactSpec.class).orElseThrow().source())
                .isEqualTo(new PresenceSpec.MqttSource("zigbee2mqtt/door", "zigbee2mqtt/door/availability", null));
        assertThat(site.device("zb-count", CounterSpec.class).orElseThrow().field())
                .isEqualTo(new PresenceSpec.MqttSource("zigbee2mqtt/count", null, Duration.ofHours(1)));
        assertThat(site.device("node-count", CounterSpec.class).orElseThrow().wiring()).isNull();
        assertThat(site.coapNodes()).extracting(DeviceSpec::id).containsExactly("node-window", "node-count");
        assertThat(site.mqttDevices()).extracting(DeviceSpec::id).containsExactly("zb-door", "zb-count");
        assertThat(site.coap()).isNull();
    }

    @Test
    void a_field_device_has_exactly_one_source_and_no_pins() {
        String bad = """
                  - {id: c-1, kind: contact_sensor}
                  - {id: c-2, kind: contact_sensor, mqtt: {topic: a/b}, coap: {}}
                  - {id: n-1, kind: people_counter, in: {gpio: 17}, coap: {}}
                  - {id: z-1, kind: contact_sensor, mqtt: {topic: a/#, report_interval: soon}}
                rooms:""";
        assertThat(problems(SiteFileProblemsTest.MINIMAL.replace("rooms:", bad)))
                .extracting(p -> p.path() + ": " + p.message())
                .containsExactlyInAnyOrder(
                        "devices[2]: needs one source: mqtt {topic} or coap {report_interval}",
                        "devices[3]: give only one source, not mqtt and coap",
                        "devices[4].in: a field device (mqtt or coap) has no pins",
                        "devices[5].mqtt.topic: \"a/#\" is not a topic to subscribe to: no wildcards (+, #) and no leading /",
                        "devices[5].mqtt.report_interval: not a duration: write a number and a unit (ms, s, m, h, d), e.g. 5s or 10m");
    }

    @Test
    void the_coap_section_names_the_key_file_and_where_to_listen() throws Exception {
        String section = """
                coap:
                  psk_file: secrets/coap-psk
                  port: 15684
                devices:""";
        Site site = SiteFiles.parse("t.yaml", SiteFileProblemsTest.MINIMAL.replace("devices:", section));
        assertThat(site.coap()).isEqualTo(new CoapSpec(Path.of("secrets/coap-psk"), "0.0.0.0", 15684));

        String bad = """
                coap:
                  bind: my-host
                  port: 70000
                devices:""";
        assertThat(problems(SiteFileProblemsTest.MINIMAL.replace("devices:", bad)))
                .extracting(p -> p.path() + ": " + p.message())
                .containsExactlyInAnyOrder(
                        "coap.psk_file: is required: the file with each node's pre-shared key",
                        "coap.bind: \"my-host\" is not an IP address of this machine's interfaces, e.g. 0.0.0.0 or 192.168.1.10",
                        "coap.port: must be between 1 and 65535, not 70000");
    }
}
