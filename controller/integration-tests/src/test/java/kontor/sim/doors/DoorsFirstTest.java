package kontor.sim.doors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import kontor.device.Signal;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Doors first (docs/security-doors.md): nothing from the network delays a door decision. On the simulated clock,
 * through the real command server and the real Wiegand drivers.
 */
class DoorsFirstTest {
    private static final LocalDateTime MORNING = LocalDateTime.parse("2026-12-01T09:00:00");

    @Test
    void a_doors_signal_goes_ahead_of_every_command_already_waiting_for_the_site_thread(@TempDir Path data)
            throws Exception {
        try (SiteHarness site = SiteHarness.demo(data, MORNING)) {
            long mark = site.lastSeq();
            String root = site.gateway().topics().root();
            // The site thread is busy with something long (a disk sync, a big command) …
            CountDownLatch busy = new CountDownLatch(1);
            site.time().execute(() -> {
                try {
                    busy.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // … while 100 operators' credits queue for it, and then a door opens.
            for (int i = 0; i < 100; i++) {
                site.mqtt().clientPublish(root + "/cmd/member.credit",
                        "{\"id\":\"c" + i + "\",\"card\":\"" + DemoCards.VISITOR + "\",\"amount\":1}",
                        root + "/reply/host-" + i + "/" + UUID.randomUUID(), null);
            }
            site.gateway().signal(new Signal.ContactChanged("door-room-1", true));
            busy.countDown();
            site.settle();

            List<JsonNode> after = site.events().stream().filter(e -> e.path("seq").asLong() > mark).toList();
            List<String> types = after.stream().map(e -> e.path("type").asText())
                    .filter(t -> t.equals("door.opened") || t.equals("payment.credited")).toList();
            assertThat(types).hasSize(101);
            assertThat(types.getFirst()).as("the door's event is journaled before any queued command's").isEqualTo("door.opened");
        }
    }

    @Test
    void a_thousand_cards_queued_at_one_reader_do_not_hold_up_another(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, MORNING)) {
            // At a reader's pace (a frame, then a quarter second of silence) these take minutes to send.
            for (int i = 0; i < 1000; i++) {
                site.world().tap("reader-room-2", String.format("0DDB%04X", i));
            }
            JsonNode decision = site.tap("reader-room-1", DemoCards.VISITOR);
            assertThat(decision.path("device").asText()).isEqualTo("reader-room-1");
            long room2 = site.events().stream().filter(e -> e.path("device").asText().equals("reader-room-2")
                    && e.path("type").asText().startsWith("card.")).count();
            assertThat(room2).as("reader-room-2 is still working through its queue").isLessThan(100);
        }
    }
}
