package kontor.site;

import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * A whole site as its site file describes it, checked: every reference resolves to a device of the right
 * kind, and no pin is used twice. {@code mqtt}, {@code entrance} and {@code fireInput} are null when the file
 * has none, and so is {@code coap}. {@code devices} holds every device in file order, lockers included.
 * {@code fleet} is null for a site outside any fleet. {@code homeAssistant} is never null: {@link HomeAssistantSpec#DEFAULTS} when the file has no such section.
 */
public record Site(String id, String name, ZoneId zone, int capacity, Currency currency, int minorUnitDigits,
                   OpeningHours hours, Policy policy, MqttSpec mqtt, List<DeviceSpec> devices,
                   List<LockerBank> lockerBanks, List<Room> rooms, Entrance entrance, FireSpec fireInput,
                   HomeAssistantSpec homeAssistant, CoapSpec coap, HttpSpec http, FleetSpec fleet,
                   List<LoanBank> loanBanks) {

    /** A site without an {@code http} section (no HTTPS server in {@code kontor run}). */
    public Site(String id, String name, ZoneId zone, int capacity, Currency currency, int minorUnitDigits,
                OpeningHours hours, Policy policy, MqttSpec mqtt, List<DeviceSpec> devices,
                List<LockerBank> lockerBanks, List<Room> rooms, Entrance entrance, FireSpec fireInput,
                HomeAssistantSpec homeAssistant, CoapSpec coap) {
        this(id, name, zone, capacity, currency, minorUnitDigits, hours, policy, mqtt, devices, lockerBanks, rooms,
                entrance, fireInput, homeAssistant, coap, null, null, List.of());
    }

    public Site {
        loanBanks = loanBanks == null ? List.of() : List.copyOf(loanBanks);
        homeAssistant = homeAssistant == null ? HomeAssistantSpec.DEFAULTS : homeAssistant;
        devices = List.copyOf(devices);
        lockerBanks = List.copyOf(lockerBanks);
        rooms = List.copyOf(rooms);
    }

    /** Every device that reports over CoAP (its DTLS PSK identity is its id), in file order. */
    public List<DeviceSpec> coapNodes() {
        return devices.stream().filter(d -> d.fieldSource().orElse(null) instanceof PresenceSpec.CoapSource).toList();
    }

    /** Every device that reports over MQTT, in file order. */
    public List<DeviceSpec> mqttDevices() {
        return devices.stream().filter(d -> d.fieldSource().orElse(null) instanceof PresenceSpec.MqttSource).toList();
    }

    public Optional<DeviceSpec> device(String deviceId) {
        return devices.stream().filter(d -> d.id().equals(deviceId)).findFirst();
    }

    /** The device with that id if it is of that type, e.g. {@code site.device("door-room-1", DoorSpec.class)}. */
    public <T extends DeviceSpec> Optional<T> device(String deviceId, Class<T> type) {
        return device(deviceId).filter(type::isInstance).map(type::cast);
    }

    /** Every device of that type, in file order. */
    public <T extends DeviceSpec> List<T> devices(Class<T> type) {
        return devices.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<CopierSpec> copiers() {
        return devices(CopierSpec.class);
    }

    public List<PrinterSpec> printers() {
        return devices(PrinterSpec.class);
    }

    public List<LockerSpec> lockers() {
        return devices(LockerSpec.class);
    }

    public List<LoanComputerSpec> loanComputers() {
        return devices(LoanComputerSpec.class);
    }

    public Optional<LoanBank> loanBank(String bankId) {
        return loanBanks.stream().filter(b -> b.id().equals(bankId)).findFirst();
    }

    public Optional<Room> room(String roomId) {
        return rooms.stream().filter(r -> r.id().equals(roomId)).findFirst();
    }

    public Optional<LockerBank> lockerBank(String bankId) {
        return lockerBanks.stream().filter(b -> b.id().equals(bankId)).findFirst();
    }

    /** The first level of every topic (default {@code kontor}); the site's own root is {@code topicRoot()/id()}. */
    public String topicRoot() {
        return mqtt == null ? SiteSettings.MQTT_TOPIC_ROOT.defaultValue() : mqtt.topicRoot();
    }

    /** The first level of Home Assistant's discovery topics (default {@code homeassistant}). */
    public String discoveryPrefix() {
        return mqtt == null ? SiteSettings.MQTT_DISCOVERY_PREFIX.defaultValue() : mqtt.discoveryPrefix();
    }
}
