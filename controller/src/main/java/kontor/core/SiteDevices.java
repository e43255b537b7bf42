package kontor.core;

import static kontor.core.Events.fields;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kontor.device.BayInput;
import kontor.device.CardReader;
import kontor.device.Copier;
import kontor.device.Device;
import kontor.device.DeviceFactory;
import kontor.device.DeviceListener;
import kontor.device.DoorContact;
import kontor.device.ExitButton;
import kontor.device.FireInput;
import kontor.device.Health;
import kontor.device.Lock;
import kontor.device.PeopleCounter;
import kontor.device.PresenceSensor;
import kontor.device.Printer;
import kontor.device.StatusLight;
import kontor.mqtt.Json;
import kontor.mqtt.RetainedTopics;
import kontor.site.DeviceSpec;
import kontor.site.ReaderSpec;
import kontor.site.DoorSpec;
import kontor.site.LoanComputerSpec;
import kontor.site.LockerSpec;
import kontor.site.PresenceSpec;
import kontor.site.LightSpec;
import kontor.site.ContactSpec;
import kontor.site.CounterSpec;
import kontor.site.CopierSpec;
import kontor.site.PrinterSpec;
import kontor.site.FireSpec;
import kontor.site.Site;

/**
 * Every device of the site, built from the site file, with the state and availability the gateway
 * publishes for it. Built first at start-up, so that every output is in its safe state before
 * anything else happens; closed last.
 */
public final class SiteDevices implements AutoCloseable {

    /** A door: its strike, its contact and (optionally) its exit button, all reporting under the door's id. */
    public record DoorHardware(Lock strike, DoorContact contact, ExitButton exit) { }

    /** A locker: its lock and (optionally) its door contact. */
    public record LockerHardware(Lock lock, DoorContact contact) { }

    /**
     * A loan computer's bay: its lock, its door contact, its present input and (optionally, null) its charged
     * input, all reporting under the loan computer's id.
     */
    public record LoanBayHardware(Lock lock, DoorContact contact, BayInput present, BayInput charged) { }

    /** One device as the gateway tracks it. */
    public static final class Tracked {
        final DeviceSpec spec;
        final List<Device> parts;
        final Map<String, Object> state = new LinkedHashMap<>();
        Health health;

        Tracked(DeviceSpec spec, List<Device> parts, Health health) {
            this.spec = spec;
            this.parts = parts;
            this.health = health;
        }

        public String id() {
            return spec.id();
        }

        public String kind() {
            return spec.kind();
        }

        public boolean available() {
            return health.isOnline();
        }

        public Object state(String key) {
            return state.get(key);
        }
    }

    private final Map<String, Tracked> byId = new LinkedHashMap<>();
    private final Map<String, DoorHardware> doors = new LinkedHashMap<>();
    private final Map<String, LockerHardware> lockers = new LinkedHashMap<>();
    private final Map<String, LoanBayHardware> loanBays = new LinkedHashMap<>();
    private final Map<String, StatusLight> lights = new LinkedHashMap<>();
    private final Map<String, Copier> copiers = new LinkedHashMap<>();
    private final Map<String, Printer> printers = new LinkedHashMap<>();
    private final DeviceFactory factory;
    private RetainedTopics retained;
    private Topics topics;

    /** Creates every device; outputs are safe as soon as each driver exists. */
    public SiteDevices(Site site, DeviceFactory factory, DeviceListener listener) {
        this.factory = factory;
        for (DeviceSpec spec : site.devices()) {
            String id = spec.id();
            switch (spec) {
                case ReaderSpec r -> {
                    CardReader reader = factory.cardReader(id, r.wiring(), listener);
                    track(spec, List.of(reader), reader.health()).state.put("locked_out", false);
                }
                case DoorSpec d -> {
                    Lock strike = factory.lock(id, d.strike(), listener);
                    DoorContact contact = factory.contact(id, d.contact(), listener);
                    ExitButton exit = d.exit() == null ? null : factory.exitButton(id, d.exit(), listener);
                    doors.put(id, new DoorHardware(strike, contact, exit));
                    List<Device> parts = exit == null ? List.of(strike, contact) : List.of(strike, contact, exit);
                    Tracked t = track(spec, parts, strike.health());
                    t.state.put("locked", !strike.unlocked());
                    t.state.put("open", contact.open());
                }
                case LockerSpec l -> {
                    Lock lock = factory.lock(id, l.lock(), listener);
                    DoorContact contact = l.contact() == null ? null : factory.contact(id, l.contact(), listener);
                    lockers.put(id, new LockerHardware(lock, contact));
                    Tracked t = track(spec, contact == null ? List.of(lock) : List.of(lock, contact), lock.health());
                    t.state.put("locked", !lock.unlocked());
                    t.state.put("open", contact != null && contact.open());
                }
                case LoanComputerSpec c -> {
                    Lock lock = factory.lock(id, c.lock(), listener);
                    DoorContact contact = factory.contact(id, c.contact(), listener);
                    BayInput present = factory.bayInput(id, BayInput.Sense.PRESENT, c.present(), listener);
                    BayInput charged = c.charged() == null ? null
                            : factory.bayInput(id, BayInput.Sense.CHARGED, c.charged(), listener);
                    loanBays.put(id, new LoanBayHardware(lock, contact, present, charged));
                    List<Device> parts = charged == null ? List.of(lock, contact, present)
                            : List.of(lock, contact, present, charged);
                    Tracked t = track(spec, parts, lock.health());
                    t.state.put("locked", !lock.unlocked());
                    t.state.put("open", contact.open());
                    t.state.put("present", present.active());
                    if (charged != null) {
                        t.state.put("charged", charged.active());
                    }
                }
                case PresenceSpec p -> {
                    if (p.source() instanceof PresenceSpec.Wired w) {
                        PresenceSensor sensor = factory.presence(id, w.input(), listener);
                        track(spec, List.of(sensor), sensor.health()).state.put("motion", sensor.motion());
                    } else {
                        // A field device (MQTT or CoAP): unknown until it first reports.
                        track(spec, List.of(), new Health(Health.Status.UNKNOWN, "no report yet")).state.put("motion", false);
                    }
                }
                case LightSpec l -> {
                    StatusLight light = factory.light(id, l.wiring(), listener);
                    lights.put(id, light);
                    Tracked t = track(spec, List.of(light), light.health());
                    t.state.put("color", "off");
                    t.state.put("blinking", false);
                }
                case CounterSpec c -> {
                    Tracked t;
                    if (c.wiring() != null) {
                        PeopleCounter counter = factory.counter(id, c.wiring(), listener);
                        t = track(spec, List.of(counter), counter.health());
                    } else {
                        t = track(spec, List.of(), new Health(Health.Status.UNKNOWN, "no report yet"));
                    }
                    t.state.put("in", 0);
                    t.state.put("out", 0);
                }
                case ContactSpec c -> track(spec, List.of(), new Health(Health.Status.UNKNOWN, "no report yet"))
                        .state.put("open", false);
                case CopierSpec c -> {
                    Copier copier = factory.copier(id, c.wiring(), listener);
                    copiers.put(id, copier);
                    track(spec, List.of(copier), copier.health()).state.put("enabled", false);
                }
                case PrinterSpec p -> {
                    Printer printer = factory.printer(id, p.ipp(), p.poll(), listener);
                    printers.put(id, printer);
                    track(spec, List.of(printer), printer.health()).state.put("state", "unknown");
                }
                case FireSpec f -> {
                    FireInput fire = factory.fire(id, f.input(), listener);
                    track(spec, List.of(fire), fire.health()).state.put("active", fire.active());
                }
            }
        }
    }

    private Tracked track(DeviceSpec spec, List<Device> parts, Health health) {
        Tracked t = new Tracked(spec, parts, health);
        byId.put(spec.id(), t);
        return t;
    }

    /** From now on every change is published; publishes everything once. */
    public void publishTo(RetainedTopics retained, Topics topics) {
        this.retained = retained;
        this.topics = topics;
        byId.values().forEach(t -> {
            publishAvailability(t);
            publishState(t);
        });
    }

    public Optional<Tracked> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<Tracked> all() {
        return new ArrayList<>(byId.values());
    }

    public Optional<DoorHardware> door(String id) {
        return Optional.ofNullable(doors.get(id));
    }

    public Optional<LockerHardware> locker(String id) {
        return Optional.ofNullable(lockers.get(id));
    }

    public Optional<LoanBayHardware> loanBay(String id) {
        return Optional.ofNullable(loanBays.get(id));
    }

    public Optional<StatusLight> light(String id) {
        return Optional.ofNullable(lights.get(id));
    }

    public Optional<Copier> copier(String id) {
        return Optional.ofNullable(copiers.get(id));
    }

    /** The engine that prints the held print queue's jobs on {@code printer} (made by the device factory). */
    public kontor.device.PrintEngine printEngine(kontor.site.PrinterSpec printer) {
        return factory.printEngine(printer.id(), printer.ipp());
    }

    public List<Printer> printers() {
        return new ArrayList<>(printers.values());
    }

    /** Whether {@link #update} with this value would change the device's state. */
    public boolean differs(String id, String key, Object value) {
        Tracked t = byId.get(id);
        return t != null && !value.equals(t.state.get(key));
    }

    /** Updates one field of a device's state; publishes if it changed. Returns whether it changed. */
    public boolean update(String id, String key, Object value) {
        Tracked t = byId.get(id);
        if (t == null) {
            return false;
        }
        Object old = t.state.put(key, value);
        if (value.equals(old)) {
            return false;
        }
        publishState(t);
        return true;
    }

    /** Replaces a device's whole state (a printer report, say). */
    public void replace(String id, Map<String, Object> state) {
        Tracked t = byId.get(id);
        if (t != null) {
            t.state.clear();
            t.state.putAll(state);
            publishState(t);
        }
    }

    /** Records a health change; returns true if availability changed. */
    public boolean health(String id, Health health) {
        Tracked t = byId.get(id);
        if (t == null || t.health.equals(health)) {
            return false;
        }
        boolean wasAvailable = t.available();
        t.health = health;
        publishAvailability(t);
        return wasAvailable != t.available();
    }

    private void publishState(Tracked t) {
        if (retained != null) {
            retained.put(topics.deviceState(t.id()), Json.bytes(t.state));
        }
    }

    private void publishAvailability(Tracked t) {
        if (retained != null) {
            retained.put(topics.availability(t.id()),
                    (t.available() ? "online" : "offline").getBytes(StandardCharsets.UTF_8));
        }
    }

    static Map<String, Object> healthFields(Health h) {
        return fields("detail", h.detail().isEmpty() ? null : h.detail());
    }

    /** Every output to its safe state, then releases the lines (the factory closes what it made, printers too). */
    @Override
    public void close() {
        factory.close();
    }
}
