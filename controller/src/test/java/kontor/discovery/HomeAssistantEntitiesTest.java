package kontor.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kontor.core.Topics;
import kontor.mqtt.Json;
import kontor.site.LockerSpec;
import kontor.site.Site;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.Test;

class HomeAssistantEntitiesTest {
    private static final Site DEMO = SiteFiles.demo();
    private static final Topics DEMO_TOPICS = Topics.of(DEMO.topicRoot(), DEMO.id());

    static Site demoWith(String extraYaml) throws Exception {
        try (InputStream in = SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SiteFiles.parse("demo-plus.yaml", yaml + "\n" + extraYaml + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<DiscoveryConfig> configs(Site site) {
        return HomeAssistantEntities.of(site, Topics.of(site.topicRoot(), site.id()), "1.2.3");
    }

    private static JsonNode json(DiscoveryConfig config) {
        return Json.tree(Json.bytes(config.payload()));
    }

    private static Map<String, JsonNode> byObjectId(List<DiscoveryConfig> configs) {
        return configs.stream().collect(Collectors.toMap(DiscoveryConfig::objectId, HomeAssistantEntitiesTest::json));
    }

    @Test
    void every_config_follows_the_field_rules_of_home_assistant_discovery() throws Exception {
        Site skeleton = SiteFiles.parse("skeleton.yaml", SiteFiles.skeleton("my-site"));
        for (Site site : List.of(DEMO, demoWith("home_assistant: {allow_control: true}"), skeleton)) {
            List<String> problems = new ArrayList<>();
            for (DiscoveryConfig config : configs(site)) {
                HomeAssistantRules.violations(site.discoveryPrefix(), config.topic(), json(config))
                        .forEach(v -> problems.add(config.topic() + ": " + v));
            }
            assertThat(problems).as(site.id()).isEmpty();
        }
    }

    @Test
    void the_rules_catch_what_home_assistant_would_drop() {
        JsonNode bad = Json.tree("""
                {"name":"x","unique_id":"u","state_topic":"a/+/b","device_class":"fire","stat_t":"a",
                 "device":{"name":"d"},"availability":[{"topic":"t","payload":"on"}],"availability_mode":"both",
                 "options":["a"],"unit_of_measurement":"%","value_template":"{{ value_json.in }"}
                """.getBytes(StandardCharsets.UTF_8));
        List<String> found = HomeAssistantRules.violations("homeassistant", "homeassistant/sensor/n/o.x/config", bad);
        assertThat(found).hasSize(1).first().asString().contains("is not <prefix>/<component>");
        found = HomeAssistantRules.violations("homeassistant", "homeassistant/sensor/n/o/config", bad);
        assertThat(String.join("\n", found)).contains("unknown key stat_t", "state_topic is required",
                "device_class fire", "device needs identifiers", "unknown key availability[].payload",
                "availability_mode both", "options need device_class enum", "not allowed together",
                "unbalanced", "Jinja keyword");
    }

    @Test
    void topics_are_prefix_component_node_object_config_under_the_configured_prefix() throws Exception {
        for (DiscoveryConfig config : configs(DEMO)) {
            assertThat(config.topic()).matches("homeassistant/(binary_sensor|sensor)/kontor_demo/[a-z0-9_]+/config")
                    .isEqualTo("homeassistant/" + config.component() + "/kontor_demo/" + config.objectId() + "/config");
        }
        Site elsewhere = SiteFiles.parse("s.yaml", SiteFiles.skeleton("malmo-1")
                .replace("discovery_prefix: homeassistant", "discovery_prefix: ha/discovery"));
        assertThat(configs(elsewhere)).isNotEmpty().allSatisfy(c ->
                assertThat(c.topic()).startsWith("ha/discovery/").contains("/kontor_malmo_1/"));
    }

    @Test
    void unique_ids_are_unique_across_all_entities_and_the_same_on_every_start() throws Exception {
        Site site = demoWith("home_assistant: {allow_control: true}");
        List<DiscoveryConfig> first = configs(site);
        Set<String> uniqueIds = new HashSet<>();
        Set<String> entityIds = new HashSet<>();
        for (DiscoveryConfig config : first) {
            assertThat(uniqueIds.add(config.uniqueId())).as(config.uniqueId()).isTrue();
            assertThat(entityIds.add((String) config.payload().get("default_entity_id"))).isTrue();
            assertThat(config.uniqueId()).isEqualTo("kontor_demo_" + config.objectId());
        }
        assertThat(configs(site)).extracting(DiscoveryConfig::uniqueId)
                .containsExactlyElementsOf(first.stream().map(DiscoveryConfig::uniqueId).toList());
        assertThat(byObjectId(first).get("door_entrance_open").path("unique_id").asText())
                .isEqualTo("kontor_demo_door_entrance_open");
    }

    @Test
    void a_booking_time_is_unknown_without_a_booking_as_home_assistant_spells_it() {
        // Home Assistant (2024.10 on) takes the rendered word None as unknown for a timestamp sensor; an empty value
        // would be ignored (the last booking's time would stay) or logged as invalid.
        Map<String, JsonNode> entities = byObjectId(configs(DEMO));
        assertThat(entities.get("room_1_booking_end").path("value_template").asText())
                .isEqualTo("{{ value_json.booking.end if value_json.booking else None }}");
        assertThat(entities.get("room_1_next_booking").path("value_template").asText())
                .isEqualTo("{{ value_json.next.start if value_json.next else None }}");
        assertThat(entities.get("room_1_booking_end").path("device_class").asText()).isEqualTo("timestamp");
    }

    @Test
    void every_room_locker_door_sensor_printer_and_the_headcount_is_there() {
        Map<String, JsonNode> entities = byObjectId(configs(DEMO));
        assertThat(entities).containsKeys("site_gateway", "site_present", "site_over_capacity", "fire_panel_fire",
                "printer_1_state", "printer_1_toner", "printer_1_problem", "copier_1_enabled",
                "counter_entrance_in", "counter_entrance_out", "reader_entrance_locked_out");
        for (String room : List.of("room_1", "room_2", "room_3")) {
            assertThat(entities).containsKeys(room + "_status", room + "_occupied", room + "_light",
                    room + "_booking_end", room + "_next_booking");
        }
        for (String door : List.of("door_entrance", "door_room_1", "door_room_2", "door_room_3")) {
            assertThat(entities).containsKeys(door + "_open", door + "_lock");
        }
        for (LockerSpec locker : DEMO.lockers()) {
            String id = locker.id().replace('-', '_');
            assertThat(entities).containsKeys(id + "_open", id + "_lock", id + "_status");
        }
        for (String sensor : List.of("pir_room_1", "pir_room_2", "pir_room_3", "node_room_3")) {
            assertThat(entities.get(sensor + "_motion").path("device_class").asText()).isEqualTo("motion");
        }
        assertThat(entities.get("site_present").path("unit_of_measurement").asText()).isEqualTo("people");
        assertThat(entities.get("site_present").path("json_attributes_template").asText()).contains("capacity");
        assertThat(entities.get("printer_1_toner").path("unit_of_measurement").asText()).isEqualTo("%");
        assertThat(entities.get("room_2_occupied").path("device_class").asText()).isEqualTo("occupancy");
        assertThat(entities.get("door_room_1_open").path("device_class").asText()).isEqualTo("door");
        assertThat(entities.get("fire_panel_fire").path("device_class").asText()).isEqualTo("safety");
        assertThat(entities.get("room_1_status").path("options")).extracting(JsonNode::asText)
                .containsExactly("free", "booked", "in_use", "closed");
    }

    @Test
    void one_device_per_kontor_device_and_room_each_routed_through_the_gateway() {
        List<DiscoveryConfig> all = configs(DEMO);
        Map<String, Set<String>> devicesById = all.stream().map(HomeAssistantEntitiesTest::json)
                .collect(Collectors.groupingBy(p -> p.path("device").path("identifiers").get(0).asText(),
                        Collectors.mapping(p -> p.path("device").toString(), Collectors.toSet())));
        // The same device is described identically by all its entities.
        assertThat(devicesById.values()).allSatisfy(descriptions -> assertThat(descriptions).hasSize(1));
        assertThat(devicesById).hasSize(DEMO.devices().size() + DEMO.rooms().size() + 1);
        JsonNode gateway = json(all.get(0)).path("device");
        assertThat(gateway.path("identifiers").get(0).asText()).isEqualTo("kontor_demo");
        assertThat(gateway.path("name").asText()).isEqualTo("Kontor demo");
        assertThat(gateway.path("sw_version").asText()).isEqualTo("1.2.3");
        for (DiscoveryConfig config : all) {
            JsonNode device = json(config).path("device");
            if (!device.path("identifiers").get(0).asText().equals("kontor_demo")) {
                assertThat(device.path("via_device").asText()).isEqualTo("kontor_demo");
                assertThat(devicesById).containsKey(device.path("via_device").asText());
            }
        }
        Map<String, JsonNode> entities = byObjectId(all);
        assertThat(entities.get("door_room_3_open").path("device").path("suggested_area").asText()).isEqualTo("Räven");
        assertThat(entities.get("locker_07_lock").path("device").path("suggested_area").asText()).isEqualTo("Bank A");
        assertThat(entities.get("counter_entrance_in").path("device").path("suggested_area").asText())
                .isEqualTo("Entrance");
        assertThat(entities.get("room_3_status").path("device").path("name").asText()).isEqualTo("Räven");
    }

    @Test
    void a_device_entity_is_available_only_while_both_the_gateway_and_the_device_say_online() {
        Map<String, JsonNode> entities = byObjectId(configs(DEMO));
        JsonNode door = entities.get("door_entrance_open");
        assertThat(door.path("availability_mode").asText()).isEqualTo("all");
        JsonNode availability = door.path("availability");
        assertThat(availability).hasSize(2);
        assertThat(availability.get(0).path("topic").asText()).isEqualTo(DEMO_TOPICS.gatewayStatus());
        // The gateway status is JSON ({"state":"online",…}, the last will {"state":"offline"}): the template picks it.
        assertThat(availability.get(0).path("value_template").asText()).isEqualTo("{{ value_json.state }}");
        assertThat(availability.get(1).path("topic").asText()).isEqualTo(DEMO_TOPICS.availability("door-entrance"));
        // A device's own availability is plain online/offline: HA's default payloads.
        assertThat(availability.get(1).has("value_template")).isFalse();
        assertThat(availability.get(1).has("payload_available")).isFalse();
        assertThat(door.path("state_topic").asText()).isEqualTo(DEMO_TOPICS.deviceState("door-entrance"));

        JsonNode room = entities.get("room_1_status");
        assertThat(room.path("availability")).hasSize(1);
        assertThat(room.path("availability").get(0).path("topic").asText()).isEqualTo(DEMO_TOPICS.gatewayStatus());
        assertThat(room.path("state_topic").asText()).isEqualTo(DEMO_TOPICS.roomState("room-1"));
        assertThat(entities.get("locker_03_status").path("state_topic").asText())
                .isEqualTo(DEMO_TOPICS.lockerState("locker-03"));
        assertThat(entities.get("site_present").path("state_topic").asText()).isEqualTo(DEMO_TOPICS.occupancy());
        // The gateway's own connectivity must show "disconnected", not "unavailable", when it is gone.
        assertThat(entities.get("site_gateway").has("availability")).isFalse();
    }

    @Test
    void nothing_can_open_anything_by_default() {
        for (DiscoveryConfig config : configs(DEMO)) {
            assertThat(config.component()).isIn("sensor", "binary_sensor");
            assertThat(config.payload()).doesNotContainKeys("command_topic", "command_template");
        }
    }

    @Test
    void when_the_site_file_allows_control_each_locker_gets_a_master_open_and_a_release_button() throws Exception {
        Site site = demoWith("home_assistant:\n  allow_control: true");
        Map<String, JsonNode> entities = byObjectId(configs(site));
        List<DiscoveryConfig> buttons = configs(site).stream().filter(c -> c.component().equals("button")).toList();
        assertThat(buttons).hasSize(2 * site.lockers().size());
        assertThat(configs(site)).filteredOn(c -> !c.component().equals("button"))
                .allSatisfy(c -> assertThat(c.payload()).doesNotContainKey("command_topic"));

        JsonNode open = entities.get("locker_05_master_open");
        assertThat(open.path("command_topic").asText()).isEqualTo("kontor/demo/cmd/locker.open");
        assertThat(open.path("retain").asBoolean()).isFalse();
        assertThat(open.path("availability")).hasSize(2);
        JsonNode press = renderPress(open.path("command_template").asText(), "1764576000.123456");
        assertThat(press.path("id").asText()).isEqualTo("ha-1764576000.123456");
        assertThat(press.path("locker").asText()).isEqualTo("locker-05");
        JsonNode later = renderPress(open.path("command_template").asText(), "1764576007.5");
        assertThat(later.path("id").asText()).isNotEqualTo(press.path("id").asText());

        JsonNode release = entities.get("locker_16_release");
        assertThat(release.path("command_topic").asText()).isEqualTo("kontor/demo/cmd/locker.release");
        assertThat(renderPress(release.path("command_template").asText(), "1").path("locker").asText())
                .isEqualTo("locker-16");
    }

    /** What HA's command template yields at a press at that time (the only template part is the timestamp). */
    private static JsonNode renderPress(String template, String timestamp) {
        assertThat(template).contains("{{ now().timestamp() }}");
        String rendered = template.replace("{{ now().timestamp() }}", timestamp);
        assertThat(rendered).doesNotContain("{{", "{%");
        return Json.tree(rendered.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_locker_without_a_contact_has_no_door_sensor() throws Exception {
        Site site = SiteFiles.parse("s.yaml", SiteFiles.skeleton("s").replace(
                "        contact: {mcp23017: {bus: 1, address: 0x21, pin: 0}}\n", ""));
        Map<String, JsonNode> entities = byObjectId(configs(site));
        assertThat(entities).containsKeys("locker_01_lock", "locker_01_status", "locker_02_open")
                .doesNotContainKey("locker_01_open");
    }

    @Test
    void discovery_off_announces_nothing() throws Exception {
        assertThat(configs(demoWith("home_assistant: {discovery: false}"))).isEmpty();
    }

    @Test
    void entity_ids_stay_valid_for_ids_with_doubled_hyphens() {
        assertThat(HomeAssistantEntities.entityIdPart("kontor_a__b_open")).isEqualTo("kontor_a_b_open");
        assertThat(HomeAssistantEntities.entityIdPart("kontor_a__open")).isEqualTo("kontor_a_open");
    }
}
