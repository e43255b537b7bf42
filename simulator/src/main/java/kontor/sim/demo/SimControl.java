package kontor.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kontor.mqtt.Json;
import kontor.mqtt.Message;
import kontor.mqtt.MqttPort;
import kontor.sim.devices.SimulatedPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulator control over MQTT (docs/reference.md): {@code {root}/sim/{action}} with a JSON payload.
 * A malformed message is logged with the reason and changes nothing. Actions run one at a time on
 * their own thread, so a clock jump never blocks the MQTT client.
 */
public final class SimControl implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimControl.class);
    private static final int MAX_PAYLOAD = 4096;

    private final SimulatedSite world;
    private final String prefix;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sim-control");
        t.setDaemon(true);
        return t;
    });

    public SimControl(SimulatedSite world, String root) {
        this.world = world;
        this.prefix = root + "/sim/";
    }

    public void subscribe(MqttPort mqtt) {
        // Simulator input acts once, when sent: a retained sim/fire would raise the fire again on every reconnect.
        // Retain handling 2 keeps the broker from sending a retained one; retain-as-published shows the flag of one
        // published retained while we are subscribed, and handle() drops it.
        mqtt.subscribeRequests(prefix + "+", 1, m -> worker.execute(() -> handle(m)));
    }

    void handle(Message m) {
        String action = m.topic().substring(prefix.length());
        if (m.retained()) {
            log.warn("Ignored sim/{}: simulator input must not be retained (it would act again on every reconnect)", action);
            return;
        }
        try {
            if (m.payload().length > MAX_PAYLOAD) {
                throw new IllegalArgumentException("payload larger than " + MAX_PAYLOAD + " bytes");
            }
            JsonNode body = Json.tree(m.payload());
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("payload must be a JSON object");
            }
            apply(action, new Fields(body));
        } catch (RuntimeException e) {
            log.warn("Ignored sim/{}: {}", action, e.getMessage());
        }
    }

    /** Applies one action; public so the scenario and tests drive the site the same way. */
    public void apply(String action, Fields f) {
        switch (action) {
            case "tap" -> world.tap(f.text("reader"), f.text("card"));
            case "motion" -> world.motion(f.text("sensor"), f.bool("motion"));
            case "contact" -> world.contact(f.text("device"), f.bool("open"));
            case "exit" -> world.exit(f.text("door"));
            case "people" -> world.people(f.text("counter"), f.integer("in", 0), f.integer("out", 0));
            case "pages" -> world.pages(f.text("copier"), f.integer("count", 1));
            case "printer" -> world.printer(f.text("printer"), condition(f.text("state")), f.integer("toner", 80));
            case "fire" -> world.fire(f.bool("active"));
            case "fault" -> world.fault(f.text("device"), f.text("fault"));
            case "present" -> world.present(f.text("device"), f.bool("present"));
            case "charge" -> world.charge(f.text("device"), f.bool("charged"));
            case "clock" -> clock(f);
            default -> throw new IllegalArgumentException("unknown simulator action '" + action + "'");
        }
    }

    private void clock(Fields f) {
        if (f.has("advance") == f.has("set")) {
            throw new IllegalArgumentException("give exactly one of 'advance' (e.g. PT11M) and 'set' (local date-time)");
        }
        if (f.has("advance")) {
            Duration d;
            try {
                d = Duration.parse(f.text("advance"));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'advance' must be an ISO-8601 duration such as PT11M");
            }
            if (d.isNegative() || d.compareTo(Duration.ofDays(366)) > 0) {
                throw new IllegalArgumentException("'advance' must be between PT0S and P366D");
            }
            world.advanceClock(d);
        } else {
            try {
                world.setClock(LocalDateTime.parse(f.text("set")).atZone(world.site().zone()).toInstant());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'set' must be a local date-time such as 2026-12-01T21:59:00");
            }
        }
    }

    private static SimulatedPrinter.Condition condition(String state) {
        return switch (state) {
            case "idle" -> SimulatedPrinter.Condition.IDLE;
            case "jam" -> SimulatedPrinter.Condition.JAM;
            case "paper_out" -> SimulatedPrinter.Condition.PAPER_OUT;
            default -> throw new IllegalArgumentException("'state' must be idle, jam or paper_out");
        };
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** Typed, checked access to a simulator message's fields. */
    public record Fields(JsonNode body) {
        boolean has(String name) {
            return body.hasNonNull(name);
        }

        String text(String name) {
            JsonNode n = body.get(name);
            if (n == null || !n.isTextual() || n.asText().isBlank()) {
                throw new IllegalArgumentException("field '" + name + "' must be a non-empty string");
            }
            return n.asText();
        }

        boolean bool(String name) {
            JsonNode n = body.get(name);
            if (n == null || !n.isBoolean()) {
                throw new IllegalArgumentException("field '" + name + "' must be true or false");
            }
            return n.asBoolean();
        }

        int integer(String name, int absent) {
            JsonNode n = body.get(name);
            if (n == null) {
                return absent;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new IllegalArgumentException("field '" + name + "' must be an integer");
            }
            return n.asInt();
        }
    }
}
