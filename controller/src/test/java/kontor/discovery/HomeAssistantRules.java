package kontor.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The field rules of Home Assistant's MQTT discovery, as its documentation and its schemas state them
 * (home-assistant.io/integrations/mqtt, sensor.mqtt, binary_sensor.mqtt, button.mqtt; core's
 * components/mqtt schemas.py, sensor.py, discovery.py): the topic format, the keys each component knows and
 * requires, the device registry fields, availability, and the valid device and state classes. A config that
 * breaks one of them is dropped or misread by Home Assistant.
 */
final class HomeAssistantRules {
    /** discovery.py's TOPIC_MATCHER, after the prefix. */
    static final Pattern TOPIC = Pattern.compile(
            "(?<component>\\w+)/(?:(?<node>[a-zA-Z0-9_-]+)/)?(?<object>[a-zA-Z0-9_-]+)/config");
    /** An entity id's object part: lowercase, digits, single underscores, none at either end. */
    private static final Pattern ENTITY_OBJECT_ID = Pattern.compile("(?!.*__)(?!_)[a-z0-9_]+(?<!_)");

    private static final Set<String> COMMON = Set.of("availability", "availability_mode", "availability_template",
            "availability_topic", "payload_available", "payload_not_available", "device", "entity_picture", "origin",
            "enabled_by_default", "entity_category", "icon", "json_attributes_topic", "json_attributes_template",
            "default_entity_id", "unique_id", "name", "qos", "encoding");
    private static final Set<String> BINARY_SENSOR = Set.of("state_topic", "value_template", "device_class",
            "expire_after", "force_update", "off_delay", "payload_on", "payload_off");
    private static final Set<String> SENSOR = Set.of("state_topic", "value_template", "device_class", "expire_after",
            "force_update", "last_reset_value_template", "options", "suggested_display_precision", "state_class",
            "unit_of_measurement");
    private static final Set<String> BUTTON = Set.of("command_topic", "command_template", "device_class",
            "payload_press", "retain");
    private static final Set<String> DEVICE = Set.of("identifiers", "connections", "manufacturer", "model",
            "model_id", "name", "hw_version", "serial_number", "sw_version", "via_device", "suggested_area",
            "configuration_url");
    private static final Set<String> ORIGIN = Set.of("name", "sw_version", "support_url");
    private static final Set<String> AVAILABILITY = Set.of("topic", "payload_available", "payload_not_available",
            "value_template");

    static final Set<String> BINARY_SENSOR_CLASSES = Set.of("battery", "battery_charging", "carbon_monoxide", "cold",
            "connectivity", "door", "garage_door", "gas", "heat", "light", "lock", "moisture", "motion", "moving",
            "occupancy", "opening", "plug", "power", "presence", "problem", "running", "safety", "smoke", "sound",
            "tamper", "update", "vibration", "window");
    static final Set<String> SENSOR_CLASSES = Set.of("apparent_power", "aqi", "area", "atmospheric_pressure",
            "battery", "blood_glucose_concentration", "carbon_dioxide", "carbon_monoxide", "conductivity", "current",
            "data_rate", "data_size", "date", "distance", "duration", "energy", "energy_distance", "energy_storage",
            "enum", "frequency", "gas", "humidity", "illuminance", "irradiance", "moisture", "monetary",
            "nitrogen_dioxide", "nitrogen_monoxide", "nitrous_oxide", "ozone", "ph", "pm1", "pm10", "pm25",
            "power_factor", "power", "precipitation", "precipitation_intensity", "pressure", "reactive_energy",
            "reactive_power", "signal_strength", "sound_pressure", "speed", "sulphur_dioxide", "temperature",
            "timestamp", "volatile_organic_compounds", "volatile_organic_compounds_parts", "voltage", "volume",
            "volume_flow_rate", "volume_storage", "water", "weight", "wind_direction", "wind_speed");
    static final Set<String> BUTTON_CLASSES = Set.of("identify", "restart", "update");
    static final Set<String> STATE_CLASSES = Set.of("measurement", "measurement_angle", "total", "total_increasing");

    private HomeAssistantRules() { }

    /** Every rule {@code payload}, published on {@code topic} under {@code prefix}, breaks; empty if none. */
    static List<String> violations(String prefix, String topic, JsonNode payload) {
        List<String> found = new ArrayList<>();
        if (!topic.startsWith(prefix + "/")) {
            found.add("topic " + topic + " is not under the prefix " + prefix);
            return found;
        }
        Matcher m = TOPIC.matcher(topic.substring(prefix.length() + 1));
        if (!m.matches()) {
            found.add("topic " + topic + " is not <prefix>/<component>/[<node_id>/]<object_id>/config");
            return found;
        }
        String component = m.group("component");
        Set<String> own = switch (component) {
            case "binary_sensor" -> BINARY_SENSOR;
            case "sensor" -> SENSOR;
            case "button" -> BUTTON;
            default -> null;
        };
        if (own == null) {
            found.add("component " + component + " is not one Kontor means to use");
            return found;
        }
        if (!payload.isObject()) {
            found.add("payload is not a JSON object");
            return found;
        }
        for (Iterator<String> keys = payload.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!COMMON.contains(key) && !own.contains(key)) {
                found.add("unknown key " + key + " (Home Assistant drops it silently)");
            }
        }
        String required = component.equals("button") ? "command_topic" : "state_topic";
        requireTopic(payload, required, found);
        text(payload, "name", found);
        if (!payload.has("unique_id")) {
            found.add("no unique_id: the device registry needs one");
        }
        text(payload, "unique_id", found);
        if (payload.has("default_entity_id")) {
            String entityId = payload.path("default_entity_id").asText();
            if (!entityId.startsWith(component + ".")
                    || !ENTITY_OBJECT_ID.matcher(entityId.substring(component.length() + 1)).matches()) {
                found.add("default_entity_id " + entityId + " is not a valid " + component + " entity id");
            }
        }
        device(payload.get("device"), found);
        origin(payload.get("origin"), found);
        availability(payload, found);
        deviceClass(component, payload, found);
        if (payload.has("entity_category")) {
            String category = payload.path("entity_category").asText();
            if (!category.equals("diagnostic") && !(category.equals("config") && component.equals("button"))) {
                found.add("entity_category " + category + " is not allowed for a " + component);
            }
        }
        if (payload.has("qos") && !(payload.get("qos").isInt() && payload.get("qos").asInt() >= 0
                && payload.get("qos").asInt() <= 2)) {
            found.add("qos must be 0, 1 or 2");
        }
        if (payload.has("retain") && !payload.get("retain").isBoolean()) {
            found.add("retain must be true or false");
        }
        for (String key : List.of("value_template", "json_attributes_template", "command_template")) {
            if (payload.has(key)) {
                template(key, payload.path(key).asText(), found);
            }
        }
        if (payload.has("json_attributes_template") && !payload.has("json_attributes_topic")) {
            found.add("json_attributes_template without json_attributes_topic does nothing");
        }
        if (payload.has("json_attributes_topic")) {
            requireTopic(payload, "json_attributes_topic", found);
        }
        return found;
    }

    private static void deviceClass(String component, JsonNode payload, List<String> found) {
        String deviceClass = payload.has("device_class") ? payload.path("device_class").asText() : null;
        Set<String> valid = switch (component) {
            case "binary_sensor" -> BINARY_SENSOR_CLASSES;
            case "sensor" -> SENSOR_CLASSES;
            default -> BUTTON_CLASSES;
        };
        if (deviceClass != null && !valid.contains(deviceClass)) {
            found.add("device_class " + deviceClass + " is not a " + component + " device class");
        }
        if (payload.has("state_class") && !STATE_CLASSES.contains(payload.path("state_class").asText())) {
            found.add("state_class " + payload.path("state_class").asText() + " is not valid");
        }
        // sensor.py validate_sensor_state_and_device_class_config
        if (payload.has("options")) {
            JsonNode options = payload.get("options");
            if (!options.isArray() || options.isEmpty()) {
                found.add("options must be a non-empty list");
            }
            if (payload.has("state_class") || payload.has("unit_of_measurement")) {
                found.add("options are not allowed together with state_class or unit_of_measurement");
            }
            if (!"enum".equals(deviceClass)) {
                found.add("options need device_class enum");
            }
        }
        if ("enum".equals(deviceClass) && !payload.has("options")) {
            found.add("an enum sensor needs its options");
        }
        if ("timestamp".equals(deviceClass) && (payload.has("state_class") || payload.has("unit_of_measurement"))) {
            found.add("a timestamp sensor has no state_class or unit");
        }
    }

    private static void device(JsonNode device, List<String> found) {
        if (device == null) {
            found.add("no device: the entity would belong to no device");
            return;
        }
        onlyKeys("device", device, DEVICE, found);
        JsonNode ids = device.path("identifiers");
        if ((!ids.isArray() || ids.isEmpty()) && !device.has("connections")) {
            found.add("device needs identifiers or connections");
        }
        ids.forEach(id -> {
            if (!id.isTextual() || id.asText().isBlank()) {
                found.add("device identifiers must be strings");
            }
        });
        for (String key : List.of("name", "manufacturer", "model")) {
            text(device, key, found, "device.");
        }
        for (Iterator<String> keys = device.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("identifiers") && !key.equals("connections") && !device.get(key).isTextual()) {
                found.add("device." + key + " must be a string");
            }
        }
    }

    private static void origin(JsonNode origin, List<String> found) {
        if (origin == null) {
            return;
        }
        onlyKeys("origin", origin, ORIGIN, found);
        text(origin, "name", found, "origin.");
    }

    private static void availability(JsonNode payload, List<String> found) {
        if (payload.has("availability") && payload.has("availability_topic")) {
            found.add("availability and availability_topic are exclusive");
        }
        if (payload.has("availability_mode")) {
            String mode = payload.path("availability_mode").asText();
            if (!Set.of("all", "any", "latest").contains(mode)) {
                found.add("availability_mode " + mode + " is not all, any or latest");
            }
        }
        JsonNode list = payload.get("availability");
        if (list == null) {
            return;
        }
        if (!list.isArray() || list.isEmpty()) {
            found.add("availability must be a non-empty list");
            return;
        }
        for (JsonNode entry : list) {
            onlyKeys("availability[]", entry, AVAILABILITY, found);
            if (!entry.path("topic").isTextual() || !validTopic(entry.path("topic").asText())) {
                found.add("availability[].topic must be a topic without wildcards");
            }
            if (entry.has("value_template")) {
                template("availability[].value_template", entry.path("value_template").asText(), found);
            }
        }
    }

    private static void requireTopic(JsonNode payload, String key, List<String> found) {
        JsonNode topic = payload.get(key);
        if (topic == null || !topic.isTextual() || !validTopic(topic.asText())) {
            found.add(key + " is required and must be a topic without wildcards");
        }
    }

    private static boolean validTopic(String topic) {
        return !topic.isEmpty() && !topic.contains("+") && !topic.contains("#") && !topic.contains("\u0000");
    }

    /** What can be checked without Jinja itself: balanced delimiters, and no keyword used as an attribute. */
    private static void template(String key, String template, List<String> found) {
        if (count(template, "{{") != count(template, "}}") || count(template, "{%") != count(template, "%}")) {
            found.add(key + " has unbalanced template delimiters: " + template);
        }
        if (Pattern.compile("\\.(in|is|and|or|not|if|else)\\b").matcher(template).find()) {
            found.add(key + " uses a Jinja keyword as an attribute: " + template);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private static void onlyKeys(String where, JsonNode node, Set<String> allowed, List<String> found) {
        if (!node.isObject()) {
            found.add(where + " must be an object");
            return;
        }
        Set<String> unknown = new HashSet<>();
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                unknown.add(k);
            }
        });
        unknown.forEach(k -> found.add("unknown key " + where + "." + k));
    }

    private static void text(JsonNode node, String key, List<String> found) {
        text(node, key, found, "");
    }

    private static void text(JsonNode node, String key, List<String> found, String where) {
        if (!node.path(key).isTextual() || node.path(key).asText().isBlank()) {
            found.add(where + key + " must be a non-empty string");
        }
    }
}
