package kontor.sim.lockers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import kontor.site.Site;
import kontor.site.SiteFileException;
import kontor.site.SiteFiles;
import org.awaitility.Awaitility;

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
     * tenth of a second. The locker tests look every 5 ms ({@link #resetPolling} after the class).
     */
    static void pollQuickly() {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
    }

    static void resetPolling() {
        Awaitility.reset();
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

    /** A tap at bank A's reader that must be granted (what the locker rules then do is for the test to check). */
    static JsonNode tap(SiteHarness site, String card) {
        JsonNode decision = site.tap(BANK, card);
        // The simulated reader sends its bits in real time; a busy machine can stretch a gap past the
        // Wiegand timeout, and the reader rightly refuses the frame. Such a tap is presented again.
        for (int retry = 0; retry < 2 && decision.path("reason").asText().equals("unreadable"); retry++) {
            decision = site.tap(BANK, card);
        }
        if (!decision.path("type").asText().equals("card.granted")) {
            throw new IllegalStateException("tap not granted: " + decision);
        }
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
