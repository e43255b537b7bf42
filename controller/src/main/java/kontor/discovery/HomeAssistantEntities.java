package kontor.discovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kontor.core.Topics;
import kontor.site.ContactSpec;
import kontor.site.CopierSpec;
import kontor.site.CounterSpec;
import kontor.site.DeviceSpec;
import kontor.site.DoorSpec;
import kontor.site.FireSpec;
import kontor.site.LightSpec;
import kontor.site.LockerBank;
import kontor.site.LoanComputerSpec;
import kontor.site.LockerSpec;
import kontor.site.LockerType;
import kontor.site.PresenceSpec;
import kontor.site.PrinterSpec;
import kontor.site.ReaderSpec;
import kontor.site.Room;
import kontor.site.Site;

/**
 * Every Home Assistant entity of a site, as discovery configs: one HA device for the gateway (the site), one per
 * room and one per Kontor device; each entity reads Kontor's own retained topics (docs/reference.md), so nothing
 * is published twice. Entities are read-only unless the site file allows control.
 *
 * <p>Ids: the node id is {@code kontor_<site>}; an entity's object id is {@code <owner>_<entity>} with hyphens
 * turned into underscores, and its unique id {@code kontor_<site>_<owner>_<entity>}. Kontor ids have no
 * underscores, so this is one-to-one, and the site's own entities ({@code site_gateway}, {@code site_present},
 * {@code site_over_capacity}) use entity names no device or room has.
 */
public final class HomeAssistantEntities {
    static final String MANUFACTURER = "Kontor";
    static final List<String> ROOM_STATUSES = List.of("free", "booked", "in_use", "closed");
    static final List<String> LOCKER_STATUSES = List.of("free", "assigned", "needs_emptying", "out_of_service");
    private static final List<String> LOAN_STATUSES = List.of("free", "booked", "lent", "charging", "missing",
            "out_of_order");
    static final List<String> LIGHT_COLOURS = List.of("green", "amber", "red", "off");

    /** Who an entity belongs to in HA, and which topics say whether it is available. */
    private record Owner(String key, Map<String, Object> device, List<Map<String, Object>> availability) { }

    private final Site site;
    private final Topics topics;
    private final String version;
    private final String prefix;
    private final String nodeId;
    private final Map<String, String> areas = new HashMap<>();
    private final Map<String, Object> origin = new LinkedHashMap<>();
    /** A config whose payload the builder is still filling in; frozen into a {@link DiscoveryConfig} at the end. */
    private record Draft(String component, String objectId, String topic, Map<String, Object> payload) { }

    private final List<Draft> drafts = new ArrayList<>();

    private HomeAssistantEntities(Site site, Topics topics, String version) {
        this.site = site;
        this.topics = topics;
        this.version = version;
        this.prefix = site.discoveryPrefix();
        this.nodeId = nodeId(site);
        origin.put("name", MANUFACTURER);
        origin.put("sw_version", version);
    }

    /**
     * Every entity of {@code site} whose topics live under {@code topics}; {@code version} is the gateway's.
     * Empty when the site file turns discovery off.
     */
    public static List<DiscoveryConfig> of(Site site, Topics topics, String version) {
        if (!site.homeAssistant().discovery()) {
            return List.of();
        }
        HomeAssistantEntities entities = new HomeAssistantEntities(site, topics, version);
        entities.build();
        return entities.drafts.stream()
                .map(d -> new DiscoveryConfig(d.component(), d.objectId(), d.topic(), d.payload())).toList();
    }

    /** The node id of the site's discovery topics, {@code kontor_<site id>}. */
    public static String nodeId(Site site) {
        return "kontor_" + slug(site.id());
    }

    /** Kontor ids are lowercase letters, digits and hyphens; HA object ids take underscores instead. */
    static String slug(String id) {
        return id.replace('-', '_');
    }

    /** HA entity ids take no doubled underscore and none at the end, which ids such as {@code a--b} would give. */
    static String entityIdPart(String objectId) {
        return objectId.replaceAll("_{2,}", "_").replaceAll("^_|_$", "");
    }

    private void build() {
        findAreas();
        Owner gateway = new Owner("site", gatewayDevice(), gatewayOnly());
        siteEntities(gateway);
        for (Room room : site.rooms()) {
            roomEntities(room);
        }
        for (DeviceSpec device : site.devices()) {
            deviceEntities(device);
        }
    }

    // ---- the site

    private Map<String, Object> gatewayDevice() {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of(nodeId));
        device.put("name", site.name());
        device.put("manufacturer", MANUFACTURER);
        device.put("model", "Kontor gateway");
        device.put("sw_version", version);
        return device;
    }

    private void siteEntities(Owner gateway) {
        String status = topics.gatewayStatus();
        // No availability: when the gateway is gone this shows "disconnected" rather than "unavailable".
        Map<String, Object> connected = entity("binary_sensor", gateway, "gateway", "Gateway");
        connected.remove("availability");
        connected.remove("availability_mode");
        connected.put("device_class", "connectivity");
        connected.put("entity_category", "diagnostic");
        connected.put("state_topic", status);
        connected.put("value_template", "{{ 'ON' if value_json.state == 'online' else 'OFF' }}");
        connected.put("json_attributes_topic", status);

        String occupancy = topics.occupancy();
        Map<String, Object> present = entity("sensor", gateway, "present", "People present");
        present.put("state_topic", occupancy);
        present.put("value_template", "{{ value_json.present }}");
        present.put("unit_of_measurement", "people");
        present.put("state_class", "measurement");
        present.put("icon", "mdi:account-group");
        present.put("json_attributes_topic", occupancy);
        present.put("json_attributes_template", "{{ {'capacity': value_json.capacity} | tojson }}");

        Map<String, Object> over = entity("binary_sensor", gateway, "over_capacity", "Over capacity");
        over.put("device_class", "problem");
        over.put("state_topic", occupancy);
        over.put("value_template", "{{ 'ON' if value_json.present > value_json.capacity else 'OFF' }}");
    }

    // ---- rooms

    private void roomEntities(Room room) {
        Owner owner = new Owner(room.id(), device(room.id(), room.name(), "Room (" + room.seats() + " seats)",
                room.name()), gatewayOnly());
        String state = topics.roomState(room.id());

        Map<String, Object> status = enumSensor(owner, "status", "Status", state, "{{ value_json.status }}", ROOM_STATUSES);
        status.put("icon", "mdi:calendar-clock");
        status.put("json_attributes_topic", state);
        status.put("json_attributes_template", "{{ {'booking': value_json.booking, 'next': value_json.next} | tojson }}");

        if (!room.presence().isEmpty()) {
            binarySensor(owner, "occupied", "Occupied", "occupancy", state, onIf("value_json.occupied"));
        }
        if (room.light() != null) {
            enumSensor(owner, "light", "Light", state, "{{ value_json.light }}", LIGHT_COLOURS).put("icon", "mdi:traffic-light");
        }
        // "None" is HA's word for unknown: no booking now, or none coming.
        timestamp(owner, "booking_end", "Booking ends", state,
                "{{ value_json.booking.end if value_json.booking else None }}");
        timestamp(owner, "next_booking", "Next booking", state,
                "{{ value_json.next.start if value_json.next else None }}");
    }

    private void timestamp(Owner owner, String key, String name, String topic, String template) {
        Map<String, Object> sensor = entity("sensor", owner, key, name);
        sensor.put("device_class", "timestamp");
        sensor.put("state_topic", topic);
        sensor.put("value_template", template);
    }

    // ---- devices

    private void deviceEntities(DeviceSpec spec) {
        Owner owner = new Owner(spec.id(), device(spec.id(), spec.id(), model(spec), areas.get(spec.id())),
                deviceAvailability(spec.id()));
        String state = topics.deviceState(spec.id());
        switch (spec) {
            case ReaderSpec r -> binarySensor(owner, "locked_out", "Locked out", "problem", state,
                    onIf("value_json.locked_out"));
            case DoorSpec d -> {
                binarySensor(owner, "open", "Door", "door", state, onIf("value_json.open"));
                // HA's lock class: on means unlocked.
                binarySensor(owner, "lock", "Lock", "lock", state, onIf("not value_json.locked"));
            }
            case LockerSpec l -> lockerEntities(owner, l, state);
            case LoanComputerSpec c -> loanComputerEntities(owner, c, state);
            case PresenceSpec p -> binarySensor(owner, "motion", "Motion", "motion", state, onIf("value_json.motion"));
            case LightSpec l -> {
                Map<String, Object> colour = enumSensor(owner, "colour", "Colour", state, "{{ value_json.color }}",
                        LIGHT_COLOURS);
                colour.put("icon", "mdi:traffic-light");
                colour.put("json_attributes_topic", state);
                colour.put("json_attributes_template", "{{ {'blinking': value_json.blinking} | tojson }}");
            }
            case CounterSpec c -> {
                // "in" is a Jinja keyword: value_json.in would not parse.
                counter(owner, "in", "Counted in", state, "{{ value_json['in'] }}");
                counter(owner, "out", "Counted out", state, "{{ value_json['out'] }}");
            }
            case CopierSpec c -> {
                Map<String, Object> enabled = binarySensor(owner, "enabled", "Enabled", null, state,
                        onIf("value_json.enabled"));
                enabled.put("icon", "mdi:content-copy");
            }
            case PrinterSpec p -> printerEntities(owner, state);
            case FireSpec f -> binarySensor(owner, "fire", "Fire", "safety", state, onIf("value_json.active"));
            case ContactSpec c -> binarySensor(owner, "open", "Contact", "opening", state, onIf("value_json.open"));
        }
    }

    private void lockerEntities(Owner owner, LockerSpec locker, String state) {
        if (locker.hasContact()) {
            binarySensor(owner, "open", "Door", "door", state, onIf("value_json.open"));
        }
        binarySensor(owner, "lock", "Lock", "lock", state, onIf("not value_json.locked"));
        // The locker's own status is the gateway's bookkeeping: true whether or not the lock answers.
        Owner bookkeeping = new Owner(owner.key(), owner.device(), gatewayOnly());
        enumSensor(bookkeeping, "status", "Status", topics.lockerState(locker.id()), "{{ value_json.status }}",
                LOCKER_STATUSES).put("icon", "mdi:locker");
        if (site.homeAssistant().allowControl()) {
            commandButton(owner, "master_open", "Master open", "locker.open", locker.id(), "mdi:lock-open-variant");
            commandButton(owner, "release", "Release", "locker.release", locker.id(), "mdi:locker-multiple");
        }
    }

    private void loanComputerEntities(Owner owner, LoanComputerSpec computer, String state) {
        binarySensor(owner, "open", "Door", "door", state, onIf("value_json.open"));
        binarySensor(owner, "lock", "Lock", "lock", state, onIf("not value_json.locked"));
        binarySensor(owner, "present", "Laptop in bay", "presence", state, onIf("value_json.present"));
        if (computer.hasChargeInput()) {
            binarySensor(owner, "charged", "Charged", null, state, onIf("value_json.charged"))
                    .put("icon", "mdi:battery-charging-100");
        }
        // The loan status is the gateway's bookkeeping: true whether or not the bay's lines answer.
        Owner bookkeeping = new Owner(owner.key(), owner.device(), gatewayOnly());
        enumSensor(bookkeeping, "status", "Loan status", topics.loanState(computer.id()), "{{ value_json.status }}",
                LOAN_STATUSES).put("icon", "mdi:laptop");
    }

    private void printerEntities(Owner owner, String state) {
        Map<String, Object> status = entity("sensor", owner, "state", "State");
        status.put("state_topic", state);
        status.put("value_template", "{{ value_json.state }}");
        status.put("icon", "mdi:printer");
        status.put("json_attributes_topic", state);
        status.put("json_attributes_template",
                "{{ {'reasons': value_json.reasons | default([]), 'accepting_jobs': value_json.accepting_jobs"
                        + " | default(None)} | tojson }}");

        // The lowest known supply level: the one that runs out first. -1 means unknown.
        Map<String, Object> toner = entity("sensor", owner, "toner", "Toner");
        toner.put("state_topic", state);
        toner.put("value_template", "{% set levels = value_json.markers | default([]) | map(attribute='level')"
                + " | select('ge', 0) | list %}{{ levels | min if levels else None }}");
        toner.put("unit_of_measurement", "%");
        toner.put("state_class", "measurement");
        toner.put("json_attributes_topic", state);
        toner.put("json_attributes_template", "{{ {'markers': value_json.markers | default([])} | tojson }}");

        binarySensor(owner, "problem", "Problem", "problem", state,
                onIf("value_json.state in ['stopped', 'unreachable']"));
    }

    private void counter(Owner owner, String key, String name, String topic, String template) {
        Map<String, Object> sensor = entity("sensor", owner, key, name);
        sensor.put("state_topic", topic);
        sensor.put("value_template", template);
        sensor.put("unit_of_measurement", "people");
        // Pulses since the gateway started: HA's total_increasing takes the drop at a restart as a reset.
        sensor.put("state_class", "total_increasing");
        sensor.put("entity_category", "diagnostic");
        sensor.put("icon", "mdi:counter");
    }

    /**
     * A button that sends an operator command. HA renders {@code command_template} at every press, so each press
     * carries a fresh {@code id}: the command server answers a repeated id without acting again.
     */
    private void commandButton(Owner owner, String key, String name, String command, String locker, String icon) {
        Map<String, Object> button = entity("button", owner, key, name);
        button.put("command_topic", topics.root() + "/cmd/" + command);
        button.put("command_template",
                "{\"id\":\"ha-{{ now().timestamp() }}\",\"locker\":\"" + locker + "\"}");
        button.put("qos", 1);
        button.put("retain", false);
        button.put("icon", icon);
    }

    // ---- building blocks

    private Map<String, Object> binarySensor(Owner owner, String key, String name, String deviceClass, String topic,
                                             String template) {
        Map<String, Object> sensor = entity("binary_sensor", owner, key, name);
        if (deviceClass != null) {
            sensor.put("device_class", deviceClass);
        }
        sensor.put("state_topic", topic);
        sensor.put("value_template", template);
        return sensor;
    }

    private Map<String, Object> enumSensor(Owner owner, String key, String name, String topic, String template,
                                           List<String> options) {
        Map<String, Object> sensor = entity("sensor", owner, key, name);
        sensor.put("device_class", "enum");
        sensor.put("options", options);
        sensor.put("state_topic", topic);
        sensor.put("value_template", template);
        return sensor;
    }

    private static String onIf(String condition) {
        return "{{ 'ON' if " + condition + " else 'OFF' }}";
    }

    /** A new entity with its ids, device and availability; the caller adds what it reads or sends. */
    private Map<String, Object> entity(String component, Owner owner, String key, String name) {
        String objectId = slug(owner.key()) + "_" + key;
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", name);
        payload.put("unique_id", nodeId + "_" + objectId);
        payload.put("default_entity_id", component + "." + entityIdPart(nodeId + "_" + objectId));
        payload.put("device", owner.device());
        payload.put("availability", owner.availability());
        payload.put("availability_mode", "all");
        payload.put("origin", origin);
        String topic = prefix + "/" + component + "/" + nodeId + "/" + objectId + "/config";
        drafts.add(new Draft(component, objectId, topic, payload));
        return payload;
    }

    private List<Map<String, Object>> gatewayOnly() {
        return List.of(gatewayAvailability());
    }

    /** Both must say online: the gateway (its JSON status, last will included) and the device's own availability. */
    private List<Map<String, Object>> deviceAvailability(String deviceId) {
        return List.of(gatewayAvailability(), Map.of("topic", topics.availability(deviceId)));
    }

    private Map<String, Object> gatewayAvailability() {
        Map<String, Object> gateway = new LinkedHashMap<>();
        gateway.put("topic", topics.gatewayStatus());
        gateway.put("value_template", "{{ value_json.state }}");
        return gateway;
    }

    private Map<String, Object> device(String key, String name, String model, String area) {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of(nodeId + "_" + slug(key)));
        device.put("name", name);
        device.put("manufacturer", MANUFACTURER);
        device.put("model", model);
        device.put("via_device", nodeId);
        if (area != null) {
            device.put("suggested_area", area);
        }
        return device;
    }

    private static String model(DeviceSpec spec) {
        return switch (spec) {
            case ReaderSpec r -> "Card reader (Wiegand)";
            case DoorSpec d -> "Door (strike and contact)";
            case LockerSpec l -> (l.type() == LockerType.RENTAL ? "Rental locker" : "Day locker") + " no. " + l.number();
            case LoanComputerSpec c -> "Loan computer bay no. " + c.number();
            case PresenceSpec p -> switch (p.source()) {
                case PresenceSpec.Wired w -> "Presence sensor (wired)";
                case PresenceSpec.MqttSource m -> "Presence sensor (MQTT)";
                case PresenceSpec.CoapSource c -> "Presence sensor (CoAP node)";
            };
            case LightSpec l -> "Status light";
            case CounterSpec c -> "People counter";
            case CopierSpec c -> "Copier";
            case PrinterSpec p -> p.simulated() ? "Printer (simulated)" : "Printer (IPP)";
            case FireSpec f -> "Fire panel input";
            case ContactSpec c -> "Contact sensor (field device)";
        };
    }

    /** Where each device is, for HA's suggested area: its room, its locker bank, or the entrance. */
    private void findAreas() {
        for (Room room : site.rooms()) {
            put(room.reader(), room.name());
            put(room.door(), room.name());
            put(room.light(), room.name());
            room.presence().forEach(sensor -> put(sensor, room.name()));
        }
        for (LockerBank bank : site.lockerBanks()) {
            put(bank.reader(), bank.name());
            bank.lockers().forEach(locker -> put(locker, bank.name()));
        }
        for (kontor.site.LoanBank bank : site.loanBanks()) {
            put(bank.reader(), bank.name());
            bank.computers().forEach(computer -> put(computer, bank.name()));
        }
        if (site.entrance() != null) {
            put(site.entrance().door(), "Entrance");
            put(site.entrance().reader(), "Entrance");
            put(site.entrance().counter(), "Entrance");
        }
    }

    private void put(DeviceSpec device, String area) {
        if (device != null) {
            areas.put(device.id(), area);
        }
    }
}
