package kontor.sim.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.nio.file.Path;
import kontor.cli.Version;
import kontor.coap.CoapSettings;
import kontor.mqtt.MqttPort;
import kontor.time.Scheduler;
import kontor.device.Health;
import kontor.device.Signal;
import kontor.device.wiring.Pin;
import kontor.console.Console;
import kontor.gateway.Gateway;
import kontor.http.HttpFront;
import kontor.device.ipp.IppPrinter;
import kontor.sim.devices.SimulatedPrinter;
import kontor.sim.hardware.SimulatedBoard;
import kontor.sim.hardware.SimulatedDoor;
import kontor.time.SimulatedTime;
import kontor.site.DeviceSpec;
import kontor.site.ReaderSpec;
import kontor.site.DoorSpec;
import kontor.site.LoanComputerSpec;
import kontor.site.LockerSpec;
import kontor.site.PresenceSpec;
import kontor.site.ContactSpec;
import kontor.site.CounterSpec;
import kontor.site.CopierSpec;
import kontor.site.FireSpec;
import kontor.site.Site;

/**
 * The demo site's physical world: what a visitor, a door or a fire panel can do, by device id.
 * Wired devices are moved through the simulated board's pins, so the real drivers see them;
 * field devices (CoAP and MQTT nodes) report straight to the gateway, as their adapters would.
 *
 * <p>Every method checks its arguments and throws {@link IllegalArgumentException} with a
 * precise message, changing nothing, when they name no such device or make no sense.
 */
public final class SimulatedSite implements AutoCloseable {
    private static final Duration BUTTON_PRESS = Duration.ofMillis(150);
    private final Site site;
    private final SimulatedBoard board = new SimulatedBoard();
    private final SimulatedTime movableTime;
    private final Map<String, SimulatedDoor> doors = new HashMap<>();
    private final Map<String, SimulatedPrinter> printers = new HashMap<>();
    private Gateway gateway;

    private SimulatedSite(Site site, SimulatedTime movableTime) {
        this.site = site;
        this.movableTime = movableTime;
        // The doors are there before the gateway starts, as real ones are.
        for (DeviceSpec spec : site.devices()) {
            switch (spec) {
                case DoorSpec d -> doors.put(d.id(), new SimulatedDoor(board, d.strike(), d.contact()));
                case LockerSpec l when l.contact() != null -> doors.put(l.id(), new SimulatedDoor(board, l.lock(), l.contact()));
                case LoanComputerSpec c -> {
                    // A loan computer's bay: a locker door, its laptop in it and fully charged.
                    doors.put(c.id(), new SimulatedDoor(board, c.lock(), c.contact()));
                    board.drive(c.present().pin(), true);
                    if (c.charged() != null) {
                        board.drive(c.charged().pin(), true);
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * Starts a gateway for {@code site} on simulated hardware.
     *
     * @param time        the site clock
     * @param movableTime the same clock when it can be moved (sim/clock), else null
     * @param mqtt        makes the gateway's MQTT connection
     */
    public static SimulatedSite start(Site site, Path dataDir, Scheduler time, SimulatedTime movableTime,
            Function<Gateway.Will, MqttPort> mqtt) {
        return start(site, dataDir, time, movableTime, mqtt, null);
    }

    /** As {@link #start(Site, Path, Scheduler, SimulatedTime, Function)}, with a CoAP server when {@code coap} is not null. */
    public static SimulatedSite start(Site site, Path dataDir, Scheduler time, SimulatedTime movableTime,
            Function<Gateway.Will, MqttPort> mqtt, CoapSettings coap) {
        return start(site, dataDir, time, movableTime, mqtt, coap, true);
    }

    /**
     * As above; {@code demoCards}: whether the public demo cards of docs/reference.md are enrolled. Only for the
     * demo site: a site file's data directory may be a real one, where a card number printed in the docs must
     * never become a host card.
     */
    public static SimulatedSite start(Site site, Path dataDir, Scheduler time, SimulatedTime movableTime,
            Function<Gateway.Will, MqttPort> mqtt, CoapSettings coap, boolean demoCards) {
        return start(site, dataDir, time, movableTime, mqtt, coap, demoCards, kontor.time.ClockSync.ALWAYS);
    }

    /** As above, with {@code clockSync} saying whether the site clock is known to be right (tests of a Pi's boot). */
    public static SimulatedSite start(Site site, Path dataDir, Scheduler time, SimulatedTime movableTime,
            Function<Gateway.Will, MqttPort> mqtt, CoapSettings coap, boolean demoCards, kontor.time.ClockSync clockSync) {
        return start(site, dataDir, time, movableTime, mqtt, coap, demoCards, clockSync, List.of(), null);
    }

    /** As above, serving HTTP on {@code http} (the console at {@code /} when {@code console} is not null). */
    public static SimulatedSite start(Site site, Path dataDir, Scheduler time, SimulatedTime movableTime,
            Function<Gateway.Will, MqttPort> mqtt, CoapSettings coap, boolean demoCards, kontor.time.ClockSync clockSync,
            List<HttpFront.Listener> http, Console console) {
        SimulatedSite world = new SimulatedSite(site, movableTime);
        try {
            Gateway.Builder builder = Gateway.builder(site).http(http);
            if (console != null) {
                builder.httpRoutes(console);
            }
            world.gateway = builder
                    .dataDir(dataDir)
                    .scheduler(time)
                    .devices(world.board.devices(time, (id, ipp, poll, listener) -> {
                        if (ipp != null) {
                            // A printer with a URI is real, even in the demo: its state is what it says.
                            return IppPrinter.of(id, ipp, poll, listener);
                        }
                        SimulatedPrinter p = new SimulatedPrinter(id, listener);
                        world.printers.put(id, p);
                        return p;
                    }))
                    .mqtt(mqtt)
                    .coap(coap)
                    .clockSync(clockSync)
                    .version(Version.current())
                    .build();
            if (console != null) {
                console.attach(world.gateway);
            }
            world.gateway.start();
            if (demoCards) {
                DemoCards.enrol(world.gateway);
            }
            world.printers.values().forEach(SimulatedPrinter::poll);
            return world;
        } catch (RuntimeException e) {
            world.close();
            throw e;
        }
    }

    public Gateway gateway() {
        return gateway;
    }

    public SimulatedBoard board() {
        return board;
    }

    public Site site() {
        return site;
    }

    /** A card is held to a reader. */
    public void tap(String reader, String card) {
        ReaderSpec spec = spec(reader, ReaderSpec.class, "reader");
        if (card == null || !card.matches("[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8}|[0-9A-Fa-f]{14}")) {
            throw new IllegalArgumentException("card must be 6, 8 or 14 hexadecimal digits (a Wiegand 26, 34 or 58-bit reader)");
        }
        board.presentCard(spec.wiring(), card);
    }

    /** A door or locker door is opened (forced, if it was locked) or closed. Returns false if it was forced. */
    public boolean contact(String device, boolean open) {
        SimulatedDoor door = doors.get(device);
        if (door == null && site.device(device, ContactSpec.class).isPresent()) {
            // A field contact sensor reports straight to the gateway, as its adapter would.
            gateway.signal(new Signal.HealthChanged(device, Health.ONLINE));
            gateway.signal(new Signal.ContactChanged(device, open));
            return true;
        }
        if (door == null) {
            throw new IllegalArgumentException("no door or locker door with a contact called '" + device + "'");
        }
        if (open) {
            return door.open();
        }
        door.close();
        return true;
    }

    /** A loan computer's laptop is taken out of its bay ({@code false}) or put back ({@code true}). */
    public void present(String computer, boolean present) {
        board.drive(spec(computer, LoanComputerSpec.class, "loan computer").present().pin(), present);
    }

    /** A loan computer bay's charger reports the laptop full ({@code true}) or charging. */
    public void charge(String computer, boolean charged) {
        LoanComputerSpec spec = spec(computer, LoanComputerSpec.class, "loan computer");
        if (spec.charged() == null) {
            throw new IllegalArgumentException("loan computer '" + computer + "' has no charge input");
        }
        board.drive(spec.charged().pin(), charged);
    }

    /** Someone presses a door's exit button. */
    public void exit(String door) {
        DoorSpec spec = spec(door, DoorSpec.class, "door");
        if (spec.exit() == null) {
            throw new IllegalArgumentException("door '" + door + "' has no exit button");
        }
        Pin button = spec.exit().pin();
        board.drive(button, true);
        // A finger holds the button for a moment: expander inputs are only read every few tens of milliseconds.
        CompletableFuture.delayedExecutor(BUTTON_PRESS.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            try {
                board.drive(button, false);
            } catch (RuntimeException closed) {
                // The site was shut down while the button was held.
            }
        });
    }

    /** A presence sensor sees motion start or stop. */
    public void motion(String sensor, boolean motion) {
        PresenceSpec spec = spec(sensor, PresenceSpec.class, "presence sensor");
        if (spec.source() instanceof PresenceSpec.Wired w) {
            board.drive(w.input().pin(), motion);
        } else {
            // A field node reports over CoAP or MQTT: its report reaches the gateway directly.
            gateway.signal(new Signal.HealthChanged(sensor, Health.ONLINE));
            gateway.signal(new Signal.MotionChanged(sensor, motion));
        }
    }

    /** People pass the entrance counter. */
    public void people(String counter, int in, int out) {
        CounterSpec spec = spec(counter, CounterSpec.class, "people counter");
        requireCount("in", in);
        requireCount("out", out);
        if (spec.wiring() == null) {
            gateway.signal(new Signal.HealthChanged(counter, Health.ONLINE));
            gateway.signal(new Signal.PeopleCounted(counter, in, out));
            return;
        }
        pulse(spec.wiring().in(), in);
        pulse(spec.wiring().out(), out);
    }

    /** A copier finishes pages (mono). */
    public void pages(String copier, int count) {
        CopierSpec spec = spec(copier, CopierSpec.class, "copier");
        requireCount("count", count);
        pulse(spec.wiring().monoPulse(), count);
    }

    /** A simulated printer changes condition. */
    public void printer(String printer, SimulatedPrinter.Condition condition, int toner) {
        SimulatedPrinter p = printers.get(printer);
        if (p == null) {
            throw new IllegalArgumentException("no simulated printer called '" + printer + "'");
        }
        p.set(condition, toner);
    }

    /** The fire panel's input. */
    public void fire(boolean active) {
        FireSpec spec = site.devices().stream()
                .filter(FireSpec.class::isInstance).map(FireSpec.class::cast)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("this site has no fire input"));
        board.drive(spec.input().pin(), active);
    }

    /** Injects a fault: {@code jammed} (a lock stops following), {@code offline}, or {@code none}. */
    public void fault(String device, String fault) {
        DeviceSpec spec = site.device(device)
                .orElseThrow(() -> new IllegalArgumentException("no device called '" + device + "'"));
        switch (fault) {
            case "jammed" -> {
                SimulatedDoor door = doors.get(device);
                if (door == null) {
                    throw new IllegalArgumentException("'" + device + "' has no lock that could jam");
                }
                door.jam(true);
            }
            case "offline" -> offline(spec, true);
            case "none" -> {
                Optional.ofNullable(doors.get(device)).ifPresent(d -> d.jam(false));
                offline(spec, false);
            }
            default -> throw new IllegalArgumentException("fault must be jammed, offline or none");
        }
    }

    private void offline(DeviceSpec spec, boolean offline) {
        SimulatedPrinter p = printers.get(spec.id());
        if (p != null) {
            p.reachable(!offline);
        } else {
            gateway.signal(new Signal.HealthChanged(spec.id(),
                    offline ? Health.offline("simulated fault") : Health.ONLINE));
        }
    }

    /** Moves the site clock forward (only when the demo was started with {@code --clock}). */
    public void advanceClock(Duration by) {
        movable().advance(by);
    }

    /** Sets the site clock (only when the demo was started with {@code --clock}). */
    public void setClock(Instant to) {
        movable().set(to);
    }

    public boolean clockMovable() {
        return movableTime != null;
    }

    private SimulatedTime movable() {
        if (movableTime == null) {
            throw new IllegalArgumentException("the clock is real time; start the demo with --clock to move it");
        }
        return movableTime;
    }

    private void pulse(Pin pin, int times) {
        for (int i = 0; i < times; i++) {
            board.drive(pin, true);
            board.drive(pin, false);
        }
    }

    private static void requireCount(String field, int n) {
        if (n < 0 || n > 1000) {
            throw new IllegalArgumentException(field + " must be 0..1000, not " + n);
        }
    }

    /** Stops the gateway (outputs safe, journal closed), then the simulated hardware. */
    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
        board.close();
    }

    private <T extends DeviceSpec> T spec(String id, Class<T> type, String what) {
        DeviceSpec spec = site.device(id).orElseThrow(() -> new IllegalArgumentException("no " + what + " called '" + id + "'"));
        if (!type.isInstance(spec)) {
            throw new IllegalArgumentException("'" + id + "' is a " + spec.kind() + ", not a " + what);
        }
        return type.cast(spec);
    }
}
