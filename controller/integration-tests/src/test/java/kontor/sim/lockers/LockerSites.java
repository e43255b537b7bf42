package kontor.sim.lockers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.device.Signal;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import kontor.site.Site;
import kontor.site.SiteFileException;
import kontor.site.SiteFiles;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The demo site and variants of it for the locker tests, and small look-ups on a running harness. */
final class LockerSites {
    /** A Tuesday morning: the site is open until 22:00. */
    static final LocalDateTime TUESDAY_9 = LocalDateTime.parse("2026-12-01T09:00:00");
    static final String BANK = "reader-bank-a";
    static final String VISITOR = DemoCards.VISITOR;
    static final String POOR_VISITOR = DemoCards.ACCESSIBLE_VISITOR;
    static final String HOST = DemoCards.HOST;
    static final long DEPOSIT = 500;
    static final long RENTAL_FEE = 3000;

    private LockerSites() { }

    /**
     * The harness waits with Awaitility; its default of looking every 100 ms makes each settle cost a
     * tenth of a second. The locker tests look every 5 ms: {@code @ExtendWith(LockerSites.QuickPolling.class)}.
     */
    static final class QuickPolling implements BeforeAllCallback, AfterAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            Awaitility.setDefaultPollDelay(Duration.ZERO);
            Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
        }

        @Override
        public void afterAll(ExtensionContext context) {
            Awaitility.reset();
        }
    }

    static SiteHarness demo(Path data) {
        return SiteHarness.demo(data, TUESDAY_9);
    }

    /** The demo with a deposit on bank A and a rental fee. */
    static SiteHarness withMoney(Path data) {
        return SiteHarness.of(withMoney(), data, TUESDAY_9);
    }

    static Site withMoney() {
        return parse(demoYaml()
                .replace("deposit: 0 ", "deposit: " + DEPOSIT + " ")
                .replace("# No policy section", "policy:\n  locker_rental_fee: " + RENTAL_FEE + "\n#"));
    }

    /**
     * The demo whose locker-01 lock reports its bolt on a feedback input. The input is a header pin: the
     * simulated header reports at once, where the expander is polled in real time and would race the
     * frozen clock of the test.
     */
    static SiteHarness withFeedback(Path data) {
        String lock = "lock:    {mcp23017: {bus: 1, address: 0x20, pin: 0}}";
        String yaml = demoYaml();
        if (!yaml.contains(lock)) {
            throw new IllegalStateException("the demo site no longer wires locker-01 as this test expects");
        }
        return SiteHarness.of(parse(yaml.replace(lock,
                "lock:    {mcp23017: {bus: 1, address: 0x20, pin: 0}, feedback: {gpio: 4}}")),
                data, TUESDAY_9);
    }

    static String demoYaml() {
        try (InputStream in = LockerSites.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Site parse(String yaml) {
        try {
            return SiteFiles.parse("test-site.yaml", yaml);
        } catch (SiteFileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * A card at bank A's reader, granted; returns the decision once everything it caused has run.
     *
     * <p>The card reaches the gateway as the reader driver reports it, not as Wiegand bits: the
     * simulated reader sends its bits in real time, and on a busy machine a gap can stretch past the
     * Wiegand timeout, which the driver rightly refuses as unreadable (its own tests cover that path).
     * The locker rules under test start where the driver's report arrives.
     */
    static JsonNode tap(SiteHarness site, String card) {
        long mark = site.lastSeq();
        site.gateway().signal(new Signal.CardPresented(BANK, card));
        JsonNode decision = site.awaitEvent(mark, "card.granted", e -> e.path("device").asText().equals(BANK));
        site.settle();
        return decision;
    }

    /**
     * A locker door is opened or shut, and the gateway has noticed: expander inputs are polled and
     * debounced in real time, so the test waits for the event before it moves site time on.
     */
    static void door(SiteHarness site, String locker, boolean open) {
        long mark = site.lastSeq();
        site.world().contact(locker, open);
        site.awaitEvent(mark, open ? "locker.opened" : "locker.closed", e -> e.path("device").asText().equals(locker));
        site.settle();
    }

    static JsonNode show(SiteHarness site, String card) {
        JsonNode reply = site.command("member.show", "{\"card\":\"" + card + "\"}");
        if (!reply.path("ok").asBoolean()) {
            throw new IllegalStateException("member.show failed: " + reply);
        }
        return reply.path("result");
    }

    static String member(SiteHarness site, String card) {
        return show(site, card).path("member").asText();
    }

    static long balance(SiteHarness site, String card) {
        return show(site, card).path("balance").asLong();
    }

    static JsonNode state(SiteHarness site, String locker) {
        return site.retained("lockers/" + locker + "/state");
    }

    static String status(SiteHarness site, String locker) {
        return state(site, locker).path("status").asText();
    }

    /** The events of {@code type} at {@code device} journaled after {@code mark}. */
    static java.util.List<JsonNode> after(SiteHarness site, long mark, String type, String device) {
        return site.events(type).stream().filter(e -> e.path("seq").asLong() > mark)
                .filter(e -> device == null || device.equals(e.path("device").asText())).toList();
    }
}
