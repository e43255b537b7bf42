package kontor.discovery;

import java.util.Map;

/**
 * One Home Assistant entity as announced: its component ({@code sensor}, {@code binary_sensor}, {@code button}),
 * its object id, the retained discovery topic and the config payload (a JSON object, keys in a fixed order).
 */
public record DiscoveryConfig(String component, String objectId, String topic, Map<String, Object> payload) {

    public DiscoveryConfig {
        payload = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(payload));
    }

    public String uniqueId() {
        return (String) payload.get("unique_id");
    }
}
