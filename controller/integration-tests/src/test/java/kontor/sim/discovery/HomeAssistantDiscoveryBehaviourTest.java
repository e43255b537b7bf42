package kontor.sim.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kontor.core.Topics;
import kontor.mqtt.Json;
import kontor.sim.SiteHarness;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.testing.InMemoryMqtt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo site as Home Assistant sees it: what the gateway announces under {@code homeassistant/…/config}, read
 * back from the broker and followed the way HA follows it (availability from every listed topic, state through
 * the value template).
 */
class HomeAssistantDiscoveryBehaviourTest {
    private static final LocalDateTime NINE = LocalDateTime.parse("2026-12-01T09:00:00");
    private static final String NODE = "homeassistant/%s/kontor_demo/%s/config";
    /** The binary sensors' template form: {{ 'ON' if [not ]value_json.key [== 'text'] else 'OFF' }}. */
    private static final Pattern ON_IF = Pattern.compile(
            "\\{\\{ 'ON' if (not )?value_json\\.(\\w+)(?: == '(\\w+)')? else 'OFF' }}");

    /** One entity as HA would show it, from what the broker holds now. */
    private record Seen(boolean available, String state) { }

    private static JsonNode config(InMemoryMqtt mqtt, String component, String objectId) {
        String text = mqtt.retained(NODE.formatted(component, objectId));
        assertThat(text).as("config of " + objectId).isNotNull();
        return Json.tree(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Seen seen(InMemoryMqtt mqtt, JsonNode config) {
        boolean available = true;
        for (JsonNode source : config.path("availability")) {
            String value = mqtt.retained(source.path("topic").asText());
            if (value != null && source.has("value_template")) {
                assertThat(source.path("value_template").asText()).isEqualTo("{{ value_json.state }}");
                value = Json.tree(value.getBytes(StandardCharsets.UTF_8)).path("state").asText();
            }
            available &= "online".equals(value);
        }
        String payload = mqtt.retained(config.path("state_topic").asText());
        Matcher m = ON_IF.matcher(config.path("value_template").asText());
        assertThat(m.matches()).as(config.path("value_template").asText()).isTrue();
        if (payload == null) {
            return new Seen(available, "unknown");
        }
        JsonNode read = Json.tree(payload.getBytes(StandardCharsets.UTF_8)).path(m.group(2));
        boolean value = m.group(3) == null ? read.asBoolean() : read.asText().equals(m.group(3));
        return new Seen(available, value != (m.group(1) != null) ? "ON" : "OFF");
    }

    private static List<String> configTopics(InMemoryMqtt mqtt) {
        return mqtt.published().stream().map(InMemoryMqtt.Published::topic)
                .filter(t -> t.startsWith("homeassistant/") && t.endsWith("/config")).distinct().toList();
    }

    @Test
    void home_assistant_follows_a_door_a_sensor_going_offline_and_the_gateway_stopping(@TempDir Path data) {
        SiteHarness site = SiteHarness.demo(data, NINE);
        InMemoryMqtt mqtt = site.mqtt();
        try (site) {
            site.settle();
            JsonNode door = config(mqtt, "binary_sensor", "door_room_1_open");
            JsonNode motion = config(mqtt, "binary_sensor", "pir_room_2_motion");
            assertThat(seen(mqtt, door)).isEqualTo(new Seen(true, "OFF"));

            site.world().contact("door-room-1", true);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen(mqtt, door).state().equals("ON"));

            site.world().fault("pir-room-2", "offline");
            site.settle();
            assertThat(seen(mqtt, motion).available()).isFalse();
            assertThat(seen(mqtt, door).available()).isTrue();
            site.world().fault("pir-room-2", "none");
            site.settle();
            assertThat(seen(mqtt, motion).available()).isTrue();
        }
        // The gateway said offline as it stopped: every device entity is unavailable, and the configs stay.
        JsonNode door = config(mqtt, "binary_sensor", "door_room_1_open");
        assertThat(seen(mqtt, door).available()).isFalse();
        assertThat(seen(mqtt, config(mqtt, "binary_sensor", "site_gateway")))
                .isEqualTo(new Seen(true, "OFF"));
    }

    @Test
    void every_announced_device_topic_is_on_the_broker_and_holds_what_the_template_reads(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, NINE)) {
            site.settle();
            InMemoryMqtt mqtt = site.mqtt();
            List<String> topics = configTopics(mqtt);
            assertThat(topics).hasSizeGreaterThan(site.site().devices().size());
            for (String topic : topics) {
                JsonNode config = Json.tree(mqtt.retained(topic).getBytes(StandardCharsets.UTF_8));
                for (JsonNode source : config.path("availability")) {
                    assertThat(mqtt.retained(source.path("topic").asText())).as(topic).isNotNull();
                }
                String stateTopic = config.path("state_topic").asText();
                // Room, locker and occupancy states belong to their own services; the devices' are the gateway's.
                if (stateTopic.contains("/devices/") || stateTopic.endsWith("/gateway/status")) {
                    String state = mqtt.retained(stateTopic);
                    assertThat(state).as(topic).isNotNull();
                    Matcher m = ON_IF.matcher(config.path("value_template").asText());
                    if (m.matches()) {
                        assertThat(Json.tree(state.getBytes(StandardCharsets.UTF_8)).has(m.group(2)))
                                .as(topic + " reads " + m.group(2) + " from " + state).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void home_assistant_logged_in_as_a_monitor_may_read_every_topic_its_entities_follow(@TempDir Path data) {
        // Monitors read an allow-list (Topics.MONITOR_READS, docs/security.md): an entity following another topic
        // would stay unknown for Home Assistant on a monitor user, as installer.md sets it up.
        Topics topics = new Topics("kontor/demo");
        try (SiteHarness site = SiteHarness.demo(data, NINE)) {
            site.settle();
            InMemoryMqtt mqtt = site.mqtt();
            for (String topic : configTopics(mqtt)) {
                JsonNode config = Json.tree(mqtt.retained(topic).getBytes(StandardCharsets.UTF_8));
                List<String> followed = new java.util.ArrayList<>();
                config.fields().forEachRemaining(f -> {
                    if (f.getKey().endsWith("_topic") && !f.getKey().equals("command_topic")) {
                        followed.add(f.getValue().asText());
                    }
                });
                config.path("availability").forEach(a -> followed.add(a.path("topic").asText()));
                assertThat(followed).as(topic).isNotEmpty().allSatisfy(t -> assertThat(topics.monitorMayRead(t)).as(topic + " follows " + t).isTrue());
            }
        }
    }

    @Test
    void everything_the_gateway_publishes_is_for_monitors_or_is_command_traffic(@TempDir Path data) {
        // A new topic is hidden from monitors until Topics.MONITOR_READS lists it: this test makes that a decision.
        Topics topics = new Topics("kontor/demo");
        try (SiteHarness site = SiteHarness.demo(data, NINE)) {
            site.settle();
            site.command("gateway.info", "{}");
            site.tap("reader-room-1", "04A1B2C3D4E501");
            site.settle();
            assertThat(site.mqtt().published()).extracting(InMemoryMqtt.Published::topic).allSatisfy(t -> assertThat(
                    topics.monitorMayRead(t) || t.startsWith("homeassistant/") || t.startsWith("kontor/demo/cmd/")
                            || t.startsWith("kontor/demo/reply/")).as(t).isTrue());
        }
    }

    @Test
    void home_assistant_coming_online_gets_every_config_again(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, NINE)) {
            site.settle();
            InMemoryMqtt mqtt = site.mqtt();
            List<String> topics = configTopics(mqtt);
            long before = mqtt.published().stream().filter(p -> topics.contains(p.topic())).count();
            assertThat(before).isEqualTo(topics.size());

            mqtt.clientPublish("homeassistant/status", "online", null, null);
            site.settle();

            List<InMemoryMqtt.Published> after = mqtt.published().stream()
                    .filter(p -> topics.contains(p.topic())).toList();
            assertThat(after).hasSize(2 * topics.size()).allSatisfy(p -> assertThat(p.retained()).isTrue());
            assertThat(topics).noneMatch(t -> t.startsWith("homeassistant/button/"));
        }
    }

    @Test
    void a_press_on_a_locker_button_reaches_the_gateway_as_a_well_formed_command(@TempDir Path data) throws Exception {
        Site allowing;
        try (InputStream in = SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            allowing = SiteFiles.parse("demo.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    + "\nhome_assistant: {allow_control: true}\n");
        }
        try (SiteHarness site = SiteHarness.of(allowing, data, NINE)) {
            site.settle();
            InMemoryMqtt mqtt = site.mqtt();
            JsonNode button = config(mqtt, "button", "locker_04_master_open");
            String press = button.path("command_template").asText().replace("{{ now().timestamp() }}", "1764576000.25");
            String commandTopic = button.path("command_topic").asText();
            mqtt.clientPublish(commandTopic, press, null, null);

            InMemoryMqtt.Published reply = await().atMost(Duration.ofSeconds(10)).until(
                    () -> mqtt.published().stream().filter(p -> p.topic().equals(commandTopic + "/reply")).findFirst(),
                    Optional::isPresent).orElseThrow();
            JsonNode answer = Json.tree(reply.payload());
            assertThat(answer.path("id").asText()).isEqualTo("ha-1764576000.25");
            // Whether the locker service is there to open it or not, the command itself is never malformed.
            assertThat(answer.path("error").path("code").asText()).isNotEqualTo("bad_request");
        }
    }
}
