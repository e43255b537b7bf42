package kontor.discovery;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.core.Topics;
import kontor.mqtt.Json;
import kontor.mqtt.Message;
import kontor.mqtt.MqttPort;
import kontor.mqtt.RetainedTopics;
import kontor.site.Site;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the site to Home Assistant (and openHAB, which reads the same topics) by MQTT discovery: one
 * retained config per entity at start, kept on the broker across reconnects by {@link RetainedTopics}, and
 * sent again whenever Home Assistant says {@code online} on {@code <prefix>/status} (it restarted, and a broker
 * without persistence may have lost them).
 *
 * <p>It also removes the entities it announced before and no longer has (a device taken out of the site file,
 * control turned off): configs under its own node id whose {@code unique_id} carries its own prefix. Anything
 * else under the discovery prefix is someone else's and is left alone.
 */
public final class HomeAssistantDiscovery implements SiteService {
    private static final Logger log = LoggerFactory.getLogger(HomeAssistantDiscovery.class);

    private final Site site;
    private final RetainedTopics retained;
    private final MqttPort mqtt;
    private final Executor siteThread;
    /** The config topics this gateway announces, in order. Their payloads are kept once, by {@link RetainedTopics}. */
    private final Set<String> topics = new LinkedHashSet<>();
    /** The payloads until {@link #start} hands them to the retained topics. */
    private Map<String, byte[]> toAnnounce = new LinkedHashMap<>();
    private final String statusTopic;
    private final String ownConfigs;
    private final String uniqueIdPrefix;

    /** The gateway's service; {@code version} is the gateway's own, shown as the device's software version. */
    public HomeAssistantDiscovery(SiteContext context, MqttPort mqtt, String version) {
        this(context.site(), context.topics(), context.retained(), mqtt, context.clock()::execute, version);
    }

    HomeAssistantDiscovery(Site site, Topics topics, RetainedTopics retained, MqttPort mqtt, Executor siteThread,
                           String version) {
        this.site = Objects.requireNonNull(site, "site");
        this.retained = Objects.requireNonNull(retained, "retained");
        this.mqtt = Objects.requireNonNull(mqtt, "mqtt");
        this.siteThread = Objects.requireNonNull(siteThread, "siteThread");
        for (DiscoveryConfig config : HomeAssistantEntities.of(site, topics, version)) {
            this.topics.add(config.topic());
            toAnnounce.put(config.topic(), Json.bytes(config.payload()));
        }
        String prefix = site.discoveryPrefix();
        String nodeId = HomeAssistantEntities.nodeId(site);
        this.statusTopic = prefix + "/status";
        this.ownConfigs = prefix + "/+/" + nodeId + "/+/config";
        this.uniqueIdPrefix = nodeId + "_";
    }

    @Override
    public void start() {
        // Not yet connected at start: RetainedTopics sends them as soon as the connection is up.
        toAnnounce.forEach(retained::put);
        toAnnounce = null;
        mqtt.subscribe(statusTopic, 1, m -> siteThread.execute(() -> homeAssistantStatus(m)));
        mqtt.subscribe(ownConfigs, 1, m -> siteThread.execute(() -> announced(m)));
        if (topics.isEmpty()) {
            log.info("Home Assistant discovery is off for site '{}'", site.id());
        } else {
            log.info("Home Assistant discovery: {} entities under {}{}", topics.size(), ownConfigs,
                    site.homeAssistant().allowControl() ? ", with buttons that open lockers" : ", read-only");
        }
    }

    /** The topics and payloads this gateway announces, in order (for tests and diagnostics). */
    public Map<String, byte[]> configs() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        for (String topic : topics) {
            byte[] payload = toAnnounce != null ? toAnnounce.get(topic) : retained.get(topic).orElse(null);
            if (payload != null) {
                copy.put(topic, payload.clone());
            }
        }
        return copy;
    }

    private void homeAssistantStatus(Message m) {
        String status = new String(m.payload(), StandardCharsets.UTF_8).strip();
        if (!"online".equals(status) || topics.isEmpty()) {
            return;
        }
        log.info("Home Assistant is online: sending its {} discovery configs again", topics.size());
        for (String topic : topics) {
            retained.get(topic).ifPresent(payload -> mqtt.publish(topic, payload, 1, true).whenComplete((ok, e) -> {
                if (e != null) {
                    log.debug("discovery config {} not sent again: {}", topic, e.toString());
                }
            }));
        }
    }

    /** A retained config under our node id, from the broker: if it is ours and we no longer have it, remove it. */
    private void announced(Message m) {
        if (m.payload().length == 0 || topics.contains(m.topic())) {
            return;
        }
        String uniqueId;
        try {
            uniqueId = Json.tree(m.payload()).path("unique_id").asText("");
        } catch (IllegalArgumentException notJson) {
            return;
        }
        if (!uniqueId.startsWith(uniqueIdPrefix)) {
            return;
        }
        log.info("Removing Home Assistant entity {}: the site no longer has it", uniqueId);
        retained.clear(m.topic()).whenComplete((ok, e) -> {
            if (e != null) {
                log.debug("removal of {} not yet acknowledged: {}", m.topic(), e.toString());
            }
        });
    }
}
