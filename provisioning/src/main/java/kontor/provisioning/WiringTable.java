package kontor.provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import kontor.device.wiring.ExpanderPin;
import kontor.device.wiring.GpioPin;
import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LockWiring;
import kontor.device.wiring.Pin;
import kontor.site.ContactSpec;
import kontor.site.CopierSpec;
import kontor.site.CounterSpec;
import kontor.site.DeviceSpec;
import kontor.site.DoorSpec;
import kontor.site.FireSpec;
import kontor.site.LightSpec;
import kontor.site.LoanComputerSpec;
import kontor.site.LockerSpec;
import kontor.site.PresenceSpec;
import kontor.site.PrinterSpec;
import kontor.site.ReaderSpec;
import kontor.site.Site;

/** The wiring of a site as a Markdown table an installer wires by: which pin drives which lock, reads which contact. */
public final class WiringTable {
    /** BCM number → physical pin of the 40-pin header. */
    private static final int[] HEADER_PIN = {27, 28, 3, 5, 7, 29, 31, 26, 24, 21, 19, 23, 32, 33, 8, 10, 36, 11, 12, 35, 38,
            40, 15, 16, 18, 22, 37, 13};

    /** One wired line: its pin, its device, what it does, and whether the gateway drives it. */
    public record Line(Pin pin, String device, String function, boolean output, Duration debounce) { }

    private WiringTable() { }

    /** Every wired line of the site, by device in the site file's order. */
    public static List<Line> lines(Site site) {
        List<Line> out = new ArrayList<>();
        for (DeviceSpec d : site.devices()) {
            switch (d) {
                case ReaderSpec r -> {
                    out.add(new Line(r.wiring().d0(), r.id(), "Wiegand D0 (green wire)", false, null));
                    out.add(new Line(r.wiring().d1(), r.id(), "Wiegand D1 (white wire)", false, null));
                }
                case DoorSpec door -> {
                    lock(out, door.id(), "door strike", door.strike());
                    input(out, door.id(), "door contact (active = open)", door.contact());
                    if (door.exit() != null) {
                        input(out, door.id(), "exit button (active = pressed)", door.exit());
                    }
                }
                case LockerSpec l -> {
                    lock(out, l.id(), "locker lock (bank " + l.bank() + ", no. " + l.number() + ")", l.lock());
                    if (l.contact() != null) {
                        input(out, l.id(), "locker door contact (active = open)", l.contact());
                    }
                }
                case LoanComputerSpec c -> {
                    lock(out, c.id(), "loan computer bay lock (bank " + c.bank() + ", no. " + c.number() + ")", c.lock());
                    input(out, c.id(), "loan computer bay door contact (active = open)", c.contact());
                    input(out, c.id(), "laptop present (active = in its bay)", c.present());
                    if (c.charged() != null) {
                        input(out, c.id(), "laptop charged (active = full)", c.charged());
                    }
                }
                case PresenceSpec p -> {
                    if (p.source() instanceof PresenceSpec.Wired w) {
                        input(out, p.id(), "presence sensor (active = motion)", w.input());
                    }
                }
                case LightSpec l -> {
                    out.add(new Line(l.wiring().green(), l.id(), "status light green", true, null));
                    if (l.wiring().amber() != null) {
                        out.add(new Line(l.wiring().amber(), l.id(), "status light amber", true, null));
                    }
                    out.add(new Line(l.wiring().red(), l.id(), "status light red", true, null));
                }
                case CounterSpec c -> {
                    if (c.wiring() != null) {
                        out.add(new Line(c.wiring().in(), c.id(), "people counter: in pulse", false, null));
                        out.add(new Line(c.wiring().out(), c.id(), "people counter: out pulse", false, null));
                    }
                }
                case ContactSpec c -> { } // a field device: no wire to the Pi
                case CopierSpec c -> {
                    out.add(new Line(c.wiring().enable(), c.id(), "copier enable relay", true, null));
                    out.add(new Line(c.wiring().monoPulse(), c.id(), "copier page pulse (mono)", false, null));
                    if (c.wiring().colourPulse() != null) {
                        out.add(new Line(c.wiring().colourPulse(), c.id(), "copier page pulse (colour)", false, null));
                    }
                }
                case FireSpec f -> input(out, f.id(), "fire panel output (active = fire)", f.input());
                case PrinterSpec p -> { }
            }
        }
        out.sort(Comparator.comparing((Line l) -> sortKey(l.pin())));
        return out;
    }

    private static void lock(List<Line> out, String id, String what, LockWiring w) {
        out.add(new Line(w.output(), id, what + " relay (" + (w.failSafe() ? "fail-safe: energised = locked" : "fail-secure: energised = open") + ")",
                true, null));
        if (w.feedback() != null) {
            out.add(new Line(w.feedback(), id, what + " feedback (active = locked)", false, null));
        }
    }

    private static void input(List<Line> out, String id, String what, InputWiring w) {
        out.add(new Line(w.pin(), id, what, false, w.debounce()));
    }

    private static String sortKey(Pin pin) {
        return switch (pin) {
            case GpioPin g -> String.format("0-%02d", g.bcm());
            case ExpanderPin e -> String.format("1-%02d-%02x-%02d", e.bus(), e.address(), e.pin());
        };
    }

    static String markdown(Site site) {
        List<Line> lines = lines(site);
        StringBuilder s = new StringBuilder();
        s.append("# Wiring of site ").append(site.id()).append(" (").append(site.name()).append(")\n\n")
                .append("Generated by `kontor provision wiring` from the site file; pins in BCM numbering.\n\n")
                .append("| pin | header pin | direction | active | device | function | debounce |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Line l : lines) {
            s.append("| ").append(name(l.pin()))
                    .append(" | ").append(l.pin() instanceof GpioPin g ? String.valueOf(HEADER_PIN[g.bcm()]) : "–")
                    .append(" | ").append(l.output() ? "output" : "input")
                    .append(" | ").append(l.pin().activeLow() ? "low" : "high")
                    .append(" | ").append(l.device())
                    .append(" | ").append(l.function())
                    .append(" | ").append(l.debounce() == null ? "" : l.debounce().toMillis() + " ms")
                    .append(" |\n");
        }
        Set<String> expanders = new TreeSet<>();
        for (Line l : lines) {
            if (l.pin() instanceof ExpanderPin e) {
                expanders.add("MCP23017 on I2C bus " + e.bus() + " at 0x" + Integer.toHexString(e.address()));
            }
        }
        if (!expanders.isEmpty()) {
            s.append("\nI2C expanders (bus 1: SDA = GPIO2, header pin 3; SCL = GPIO3, header pin 5):\n\n");
            expanders.forEach(e -> s.append("- ").append(e).append('\n'));
        }
        List<String> unwired = new ArrayList<>();
        // Every field device, whatever its kind (presence, contact, people counter): none of them has a pin here.
        for (kontor.site.DeviceSpec d : site.devices()) {
            switch (d.fieldSource().orElse(null)) {
                case PresenceSpec.MqttSource m -> unwired.add(d.id() + ": MQTT, topic `" + m.topic() + "`");
                case PresenceSpec.CoapSource c -> unwired.add(d.id() + ": CoAP/DTLS node, PSK identity `" + d.id() + "`");
                case null -> { }
            }
        }
        for (PrinterSpec p : site.printers()) {
            unwired.add(p.id() + ": network printer" + (p.ipp() == null ? " (simulated)" : ", " + p.ipp()));
        }
        if (!unwired.isEmpty()) {
            s.append("\nDevices without a pin:\n\n");
            unwired.forEach(u -> s.append("- ").append(u).append('\n'));
        }
        return s.toString();
    }

    private static String name(Pin pin) {
        return switch (pin) {
            case GpioPin g -> "GPIO" + g.bcm();
            case ExpanderPin e -> "0x" + Integer.toHexString(e.address()) + " " + (e.pin() < 8 ? "A" : "B") + (e.pin() % 8)
                    + (e.bus() == 1 ? "" : " (bus " + e.bus() + ")");
        };
    }
}
