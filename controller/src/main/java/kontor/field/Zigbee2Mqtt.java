package kontor.field;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kontor.device.Health;
import kontor.device.Signal;
import kontor.mqtt.Json;
import kontor.site.ContactSpec;
import kontor.site.CounterSpec;
import kontor.site.DeviceSpec;
import kontor.site.PresenceSpec;

/**
 * Reads Zigbee2MQTT's JSON as the signals of a wired device of the same kind: {@code occupancy} (a presence
 * sensor), {@code contact} (a contact sensor; {@code true} means <em>closed</em> in Zigbee2MQTT), {@code in}
 * and {@code out} (a people counter: people since its last message), {@code battery} (percent). Every other
 * key (linkquality, voltage, illuminance …) is Zigbee2MQTT's business and ignored; a key we read with a value
 * of the wrong type makes the whole message malformed.
 */
final class Zigbee2Mqtt {
    private Zigbee2Mqtt() { }

    /** The signals in a state message. @throws IllegalArgumentException with the reason when it is malformed */
    static List<Signal> state(DeviceSpec device, byte[] payload) {
        JsonNode state = Json.tree(payload);
        if (!state.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String id = device.id();
        List<Signal> signals = new ArrayList<>();
        switch (device) {
            case PresenceSpec p -> bool(state, "occupancy").ifPresent(m -> signals.add(new Signal.MotionChanged(id, m)));
            case ContactSpec c -> bool(state, "contact").ifPresent(closed -> signals.add(new Signal.ContactChanged(id, !closed)));
            case CounterSpec c -> {
                int in = count(state, "in");
                int out = count(state, "out");
                if (in > 0 || out > 0) {
                    signals.add(new Signal.PeopleCounted(id, in, out));
                }
            }
            default -> throw new IllegalArgumentException(device.kind() + " cannot be an MQTT device");
        }
        JsonNode battery = state.get("battery");
        if (battery != null && !battery.isNull()) {
            if (!battery.isNumber() || battery.doubleValue() < 0 || battery.doubleValue() > 100) {
                throw new IllegalArgumentException("'battery' must be a number 0..100, not " + battery);
            }
            signals.add(new Signal.BatteryReport(id, (int) Math.round(battery.doubleValue())));
        }
        return signals;
    }

    /**
     * An availability message: {@code online} / {@code offline}, as plain text (Zigbee2MQTT before 2.0) or as
     * {@code {"state":"online"}}. Empty when it is neither.
     */
    static Optional<Health> availability(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                text = Json.tree(payload).path("state").asText("");
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return switch (text) {
            case "online" -> Optional.of(Health.ONLINE);
            case "offline" -> Optional.of(Health.offline("Zigbee2MQTT reports it offline"));
            default -> Optional.empty();
        };
    }

    private static Optional<Boolean> bool(JsonNode state, String key) {
        JsonNode value = state.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("'" + key + "' must be true or false, not " + value);
        }
        return Optional.of(value.booleanValue());
    }

    private static int count(JsonNode state, String key) {
        JsonNode value = state.get(key);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || value.intValue() < 0 || value.intValue() > 1000) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number 0..1000, not " + value);
        }
        return value.intValue();
    }
}
