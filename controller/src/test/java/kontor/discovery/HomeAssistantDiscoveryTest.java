package kontor.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import kontor.core.Topics;
import kontor.mqtt.RetainedTopics;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.testing.InMemoryMqtt;
import org.junit.jupiter.api.Test;

class HomeAssistantDiscoveryTest {
    private static final String STALE_BUTTON = "homeassistant/button/kontor_demo/locker_01_master_open/config";

    private final InMemoryMqtt mqtt = new InMemoryMqtt();

    private HomeAssistantDiscovery discovery(Site site) {
        RetainedTopics retained = new RetainedTopics(mqtt);
        // Runnable::run: the test thread plays the site thread.
        return new HomeAssistantDiscovery(site, Topics.of(site.topicRoot(), site.id()), retained, mqtt, Runnable::run,
                "1.2.3");
    }

    private List<InMemoryMqtt.Published> publishedTo(String topic) {
        return mqtt.published().stream().filter(p -> p.topic().equals(topic)).toList();
    }

    @Test
    void every_config_is_retained_on_the_broker_once_started() {
        mqtt.start();
        HomeAssistantDiscovery discovery = discovery(SiteFiles.demo());
        discovery.start();
        Map<String, byte[]> configs = discovery.configs();
        assertThat(configs).hasSize(HomeAssistantEntities.of(SiteFiles.demo(),
                Topics.of("kontor", "demo"), "1.2.3").size());
        configs.forEach((topic, payload) -> {
            assertThat(mqtt.retained(topic)).isEqualTo(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(publishedTo(topic)).hasSize(1).allSatisfy(p -> assertThat(p.retained()).isTrue());
        });
    }

    @Test
    void configs_wait_for_the_broker_when_it_is_not_there_at_start() {
        HomeAssistantDiscovery discovery = discovery(SiteFiles.demo());
        discovery.start();
        assertThat(mqtt.published()).isEmpty();
        mqtt.start();
        assertThat(discovery.configs().keySet()).allSatisfy(topic -> assertThat(mqtt.retained(topic)).isNotNull());
    }

    @Test
    void every_config_is_sent_again_when_home_assistant_says_online() {
        mqtt.start();
        HomeAssistantDiscovery discovery = discovery(SiteFiles.demo());
        discovery.start();
        int before = mqtt.published().size();

        mqtt.clientPublish("homeassistant/status", "offline", null, null);
        assertThat(mqtt.published()).hasSize(before);

        mqtt.clientPublish("homeassistant/status", "online", null, null);
        assertThat(mqtt.published()).hasSize(before + discovery.configs().size());
        discovery.configs().keySet().forEach(topic ->
                assertThat(publishedTo(topic)).hasSize(2).allSatisfy(p -> assertThat(p.retained()).isTrue()));
    }

    @Test
    void home_assistant_status_is_read_under_the_configured_prefix() throws Exception {
        mqtt.start();
        Site site = SiteFiles.parse("s.yaml", SiteFiles.skeleton("malmo-1")
                .replace("discovery_prefix: homeassistant", "discovery_prefix: ha/discovery"));
        HomeAssistantDiscovery discovery = discovery(site);
        discovery.start();
        int before = mqtt.published().size();
        mqtt.clientPublish("homeassistant/status", "online", null, null);
        assertThat(mqtt.published()).hasSize(before);
        mqtt.clientPublish("ha/discovery/status", "online", null, null);
        assertThat(mqtt.published()).hasSize(before + discovery.configs().size());
    }

    @Test
    void an_entity_it_announced_before_and_no_longer_has_is_removed() {
        mqtt.start();
        discovery(SiteFiles.demo()).start();

        // The broker hands over what is retained under our node id, as it does on every subscription.
        mqtt.clientPublish(STALE_BUTTON, "{\"unique_id\":\"kontor_demo_locker_01_master_open\"}", null, null);

        assertThat(publishedTo(STALE_BUTTON)).singleElement().satisfies(p -> {
            assertThat(p.retained()).isTrue();
            assertThat(p.payload()).isEmpty();
        });
    }

    @Test
    void configs_it_did_not_create_are_left_alone() {
        mqtt.start();
        HomeAssistantDiscovery discovery = discovery(SiteFiles.demo());
        discovery.start();
        String current = discovery.configs().keySet().iterator().next();
        int before = mqtt.published().size();

        mqtt.clientPublish("homeassistant/sensor/kontor_demo/hand_made/config", "{\"unique_id\":\"my_own_sensor\"}",
                null, null);
        mqtt.clientPublish("homeassistant/sensor/kontor_demo/no_id/config", "{\"name\":\"x\"}", null, null);
        mqtt.clientPublish("homeassistant/sensor/kontor_demo/garbage/config", "not json", null, null);
        mqtt.clientPublish("homeassistant/sensor/zigbee2mqtt/kontor_demo_x/config",
                "{\"unique_id\":\"kontor_demo_x\"}", null, null);
        mqtt.clientPublish(STALE_BUTTON, "", null, null);
        mqtt.clientPublish(current, new String(discovery.configs().get(current),
                java.nio.charset.StandardCharsets.UTF_8), null, null);

        assertThat(mqtt.published()).hasSize(before);
        assertThat(mqtt.retained(current)).isNotNull();
    }

    @Test
    void with_discovery_off_nothing_is_announced_and_earlier_entities_are_removed() throws Exception {
        mqtt.start();
        Site site = HomeAssistantEntitiesTest.demoWith("home_assistant: {discovery: false}");
        HomeAssistantDiscovery discovery = discovery(site);
        discovery.start();
        assertThat(discovery.configs()).isEmpty();
        assertThat(mqtt.published()).isEmpty();

        String earlier = "homeassistant/binary_sensor/kontor_demo/door_entrance_open/config";
        mqtt.clientPublish(earlier, "{\"unique_id\":\"kontor_demo_door_entrance_open\"}", null, null);
        assertThat(publishedTo(earlier)).singleElement().satisfies(p -> assertThat(p.payload()).isEmpty());

        mqtt.clientPublish("homeassistant/status", "online", null, null);
        assertThat(mqtt.published()).hasSize(1);
    }
}
