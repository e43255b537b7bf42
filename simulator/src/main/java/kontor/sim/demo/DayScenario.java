package kontor.sim.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kontor.members.Members;
import kontor.members.Role;
import kontor.site.DeviceSpec;
import kontor.site.ReaderSpec;
import kontor.site.DoorSpec;
import kontor.site.PresenceSpec;
import kontor.site.CounterSpec;
import kontor.site.CopierSpec;
import kontor.site.Site;
import kontor.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --scenario day}: simulated visitors use the site without pause — they tap cards at every
 * reader, open and close doors, move about rooms, come and go through the entrance and copy pages.
 * It enrols extra demo visitors as it needs them. Everything goes through {@link SimControl}, the
 * same path an operator's {@code sim/…} message takes.
 */
public final class DayScenario implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DayScenario.class);
    private static final int VISITORS = 8;

    private final SimControl control;
    private final Site site;
    private final Scheduler scheduler;
    private final Random random = new Random();
    private final List<String> cards = new ArrayList<>();
    private final List<Runnable> actions = new ArrayList<>();
    private Scheduler.Timer timer;

    public DayScenario(SimControl control, Site site, Scheduler scheduler, Members members) {
        this.control = control;
        this.site = site;
        this.scheduler = scheduler;
        cards.addAll(List.of("04A1B2C3D4E501", "04A1B2C3D4E502", "04A1B2C3D4E5FF"));
        for (int i = 0; i < VISITORS; i++) {
            String card = String.format("04D0D0D0D0D0%02X", i);
            if (members.byCard(card).isEmpty()) {
                members.enroll(card, Role.VISITOR, i % 4 == 0, null);
            }
            cards.add(card);
        }
        cards.add("0DDBA11C"); // a card nobody enrolled
        plan();
    }

    private void plan() {
        List<String> readers = new ArrayList<>();
        for (DeviceSpec spec : site.devices()) {
            switch (spec) {
                case ReaderSpec r -> readers.add(r.id());
                case DoorSpec d -> actions.add(() -> {
                    act("contact", node().put("device", d.id()).put("open", true));
                    scheduler.schedule(Duration.ofSeconds(2 + random.nextInt(6)),
                            () -> act("contact", node().put("device", d.id()).put("open", false)));
                });
                case PresenceSpec p -> actions.add(
                        () -> act("motion", node().put("sensor", p.id()).put("motion", random.nextBoolean())));
                case CounterSpec c -> actions.add(() -> {
                    boolean in = random.nextInt(3) > 0;
                    act("people", node().put("counter", c.id()).put("in", in ? 1 : 0).put("out", in ? 0 : 1));
                });
                case CopierSpec c -> actions.add(
                        () -> act("pages", node().put("copier", c.id()).put("count", 1 + random.nextInt(3))));
                default -> { }
            }
        }
        for (String reader : readers) {
            actions.add(() -> act("tap", node().put("reader", reader).put("card", cards.get(random.nextInt(cards.size())))));
            actions.add(() -> act("tap", node().put("reader", reader).put("card", cards.get(random.nextInt(cards.size())))));
        }
    }

    /** Starts the visitors: an action every second or so. */
    public void start() {
        timer = scheduler.every(Duration.ofMillis(1200), () -> actions.get(random.nextInt(actions.size())).run());
    }

    private void act(String action, ObjectNode body) {
        try {
            control.apply(action, new SimControl.Fields(body));
        } catch (RuntimeException e) {
            log.debug("Scenario action {} refused: {}", action, e.getMessage());
        }
    }

    private static ObjectNode node() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.cancel();
        }
    }
}
