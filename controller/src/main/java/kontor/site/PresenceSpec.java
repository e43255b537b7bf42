package kontor.site;

import java.util.Optional;

import java.time.Duration;
import kontor.device.wiring.InputWiring;

/** An occupancy sensor, wired to a pin, reached over MQTT (Zigbee2MQTT style) or a battery node over CoAP. */
public record PresenceSpec(String id, Source source) implements DeviceSpec {
    public static final String KIND = "presence_sensor";

    @Override
    public String kind() {
        return KIND;
    }

    /** Where the sensor's reports come from. */
    public sealed interface Source permits Wired, MqttSource, CoapSource { }

    /** A PIR or similar on a digital input (active = motion). */
    public record Wired(InputWiring input) implements Source { }

    /**
     * A device whose JSON state (Zigbee2MQTT style) is published on {@code topic}; {@code availabilityTopic}
     * and {@code reportInterval} may be null.
     */
    public record MqttSource(String topic, String availabilityTopic, Duration reportInterval)
            implements Source, FieldSource {
        public MqttSource(String topic, String availabilityTopic) {
            this(topic, availabilityTopic, null);
        }
    }

    /** A battery node that POSTs reports over CoAP at least every {@code reportInterval}. */
    public record CoapSource(Duration reportInterval) implements Source, FieldSource { }

    @Override
    public Optional<FieldSource> fieldSource() {
        return source instanceof FieldSource f ? Optional.of(f) : Optional.empty();
    }
}
