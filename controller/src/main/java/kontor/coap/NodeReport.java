package kontor.coap;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kontor.device.Health;
import kontor.device.Signal;
import kontor.mqtt.Json;
import kontor.site.ContactSpec;
import kontor.site.CounterSpec;
import kontor.site.DeviceSpec;
import kontor.site.PresenceSpec;

/**
 * A battery node's report, checked against what a device of its kind can say, as the signals a wired device
 * of that kind would give. A presence node says {@code motion}, a contact node {@code contact} ({@code true}
 * = closed, as Zigbee2MQTT has it), a counter node {@code in} and {@code out} (people since its last
 * report); every node may add {@code battery} (0–100). An empty object is a heartbeat.
 */
final class NodeReport {
    static final int MAX_PEOPLE = 1000;

    private NodeReport() { }

    /** Thrown with a one-line diagnostic for the node when a report cannot be taken. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    /** The signals the report stands for: first that the node is alive, then what it saw. */
    static List<Signal> signals(DeviceSpec node, byte[] payload) throws Rejected {
        JsonNode report;
        try {
            report = Json.tree(payload);
        } catch (IllegalArgumentException e) {
            throw new Rejected("not JSON: " + e.getMessage());
        }
        if (!report.isObject()) {
            throw new Rejected("a report is a JSON object such as " + example(node));
        }
        String id = node.id();
        List<Signal> signals = new ArrayList<>();
        signals.add(new Signal.HealthChanged(id, Health.ONLINE));
        Integer in = null;
        Integer out = null;
        Signal battery = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = report.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (!fieldsOf(node).contains(name)) {
                throw new Rejected("'" + name + "' is not part of a " + node.kind() + "'s report; it may have "
                        + String.join(", ", fieldsOf(node)));
            }
            switch (name) {
                case "motion" -> signals.add(new Signal.MotionChanged(id, bool(name, value)));
                case "contact" -> signals.add(new Signal.ContactChanged(id, !bool(name, value)));
                case "in" -> in = number(name, value, 0, MAX_PEOPLE);
                case "out" -> out = number(name, value, 0, MAX_PEOPLE);
                default -> battery = new Signal.BatteryReport(id, number(name, value, 0, 100));
            }
        }
        if ((in != null && in > 0) || (out != null && out > 0)) {
            signals.add(new Signal.PeopleCounted(id, in == null ? 0 : in, out == null ? 0 : out));
        }
        if (battery != null) {
            signals.add(battery);
        }
        return signals;
    }

    static List<String> fieldsOf(DeviceSpec node) {
        return switch (node) {
            case PresenceSpec p -> List.of("motion", "battery");
            case ContactSpec c -> List.of("contact", "battery");
            case CounterSpec c -> List.of("in", "out", "battery");
            default -> List.of("battery");
        };
    }

    private static String example(DeviceSpec node) {
        return switch (node) {
            case ContactSpec c -> "{\"contact\":true,\"battery\":87}";
            case CounterSpec c -> "{\"in\":2,\"out\":0,\"battery\":87}";
            default -> "{\"motion\":true,\"battery\":87}";
        };
    }

    private static boolean bool(String name, JsonNode value) throws Rejected {
        if (!value.isBoolean()) {
            throw new Rejected("'" + name + "' must be true or false, not " + value);
        }
        return value.booleanValue();
    }

    private static int number(String name, JsonNode value, int min, int max) throws Rejected {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw new Rejected("'" + name + "' must be a whole number " + min + ".." + max + ", not " + value);
        }
        return value.intValue();
    }
}
