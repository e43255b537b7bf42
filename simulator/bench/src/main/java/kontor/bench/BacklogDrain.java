package kontor.bench;

import static kontor.core.Events.fields;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import kontor.journal.Journal;
import kontor.journal.JournalPublisher;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.store.Database;

/**
 * Backlog drain: the broker is down while N events are journaled (the publisher runs and keeps
 * trying to connect); then the broker comes back and the JournalPublisher drains the backlog. A
 * subscriber whose session the broker kept (it subscribed before the outage) checks that every
 * event arrives, in order. The clock runs from the gateway's reconnection to the last event at
 * the subscriber.
 */
final class BacklogDrain implements Figure {
    private static final String SUBSCRIBER = "bench-backlog-subscriber";
    private static final int BATCH = 1_000;
    /** The drain delivers at this fraction of a bare client's rate to a subscriber (none lost, in order). */
    static final double MIN_RATIO = 0.8;
    /** The baseline's size at most: long enough to be a steady rate. */
    private static final int BARE_MAX = 100_000;
    private static final String BARE_TOPIC = "kontor/bench/bare";

    @Override
    public String name() {
        return "backlog";
    }

    @Override
    public String description() {
        return "events journaled with the broker down, then drained in order to a subscriber";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        long count = context.settings().backlog();
        Path brokerDir = context.directory("backlog-broker");
        // The subscriber's session, with what is queued for it, outlives the broker's restart;
        // no limit on that queue, or the broker would drop what the subscriber has not taken yet.
        try (Mosquitto broker = Mosquitto.start(brokerDir, "persistence true", "persistence_location " + brokerDir + "/",
                "autosave_interval 0", "max_queued_messages 0", "max_inflight_messages 1000");
             Database db = Database.open(context.directory("backlog-db"))) {
            OrderChecker checker = new OrderChecker(count);
            try (RawClient first = RawClient.connect(broker.url(), SUBSCRIBER, true, null)) {
                first.subscribe(EventPipeline.TOPIC, 1);
            }
            broker.stop();

            Journal journal = new Journal(db, EventPipeline.ZONE);
            AckCounter port = new AckCounter(new PahoMqttPort(MqttSettings.builder(broker.url(), "kontor-bench-backlog")
                    .backoff(Duration.ofMillis(100), Duration.ofMillis(500)).build()));
            JournalPublisher publisher = new JournalPublisher(journal, port, EventPipeline.TOPIC);
            RawClient subscriber = null;
            try {
                publisher.start();
                port.start();
                context.say("backlog: journaling %,d events with the broker down", count);
                long t0 = System.nanoTime();
                for (long done = 0; done < count; ) {
                    long n = Math.min(BATCH, count - done);
                    long from = done;
                    db.inTransaction(tx -> {
                        for (long i = from; i < from + n; i++) {
                            journal.append(tx, "card.granted", "reader-bank-a",
                                    fields("card", "…C001", "member", "m-3f9a2c71", "role", "visitor", "n", i), Instant.now());
                        }
                        return null;
                    });
                    done += n;
                }
                double journalRate = count / ((System.nanoTime() - t0) / 1e9);
                if (port.acked() > 0) {
                    throw new BenchException("the broker was meant to be down, yet events were acknowledged");
                }
                context.say("backlog: journaled at %.0f events/s; broker back, draining", journalRate);
                broker.start();
                subscriber = RawClient.connect(broker.url(), SUBSCRIBER, true, m -> checker.accept(m.getPayload()));
                long timeoutMs = Math.max(60_000, count / 2);  // at 2,000 events/s the figure is missed anyway
                boolean complete = checker.await(timeoutMs);
                long up = port.firstUpNanos();
                double rate = complete && up > 0 ? count / ((checker.completedNanos() - up) / 1e9) : 0;
                long lost = count - checker.inOrder();
                awaitPublishedSeq(journal, count);
                int bareCount = (int) Math.min(count, BARE_MAX);
                context.say("backlog: the baseline, %,d messages from a bare Paho client to a subscriber", bareCount);
                byte[] payload = EventPipeline.samplePayload();
                bareToSubscriber(broker, Math.min(bareCount, 10_000), payload);  // warm-up
                double bare = bareToSubscriber(broker, bareCount, payload);
                Map<String, Object> d = new LinkedHashMap<>();
                d.put(Result.BASELINE_IS, "bare Paho QoS 1 publisher -> subscriber QoS 1, same broker, payload and window,"
                        + " " + bareCount + " messages");
                d.put("events", count);
                d.put("lost", lost);
                d.put("out_of_order", checker.gaps());
                d.put("repeats", checker.repeats());
                d.put("published_seq", journal.publishedSeq());
                d.put("journal_rate_during_outage", journalRate);
                d.put("measured", "gateway reconnects -> subscriber has every seq 1..N in order; events journaled in"
                        + " transactions of " + BATCH + " while the broker was down");
                boolean inOrder = complete && lost == 0 && checker.gaps() == 0;
                if (!inOrder) {
                    d.put("error", complete ? "events missing or out of order" : "not drained within " + timeoutMs / 1000 + " s");
                }
                return List.of(new Result("backlog", inOrder ? rate : 0, "events/s", Target.atLeastTimesBaseline(MIN_RATIO),
                        bare, d));
            } finally {
                if (subscriber != null) {
                    subscriber.close();
                }
                publisher.close();
                port.close();
            }
        }
    }

    /**
     * The baseline: a bare Paho client publishes {@code count} messages at QoS 1 with the publisher's window while
     * a subscriber takes them at QoS 1; the rate from the first publish to the subscriber holding the last.
     */
    private static double bareToSubscriber(Mosquitto broker, int count, byte[] payload) throws Exception {
        java.util.concurrent.CountDownLatch received = new java.util.concurrent.CountDownLatch(count);
        long[] last = new long[1];
        try (RawClient subscriber = RawClient.connect(broker.url(), "bench-bare-subscriber-" + System.nanoTime(), false,
                m -> {
                    // Paho calls back on one thread: the last message is the one that finds the count at 1.
                    if (received.getCount() == 1) {
                        last[0] = System.nanoTime();
                    }
                    received.countDown();
                })) {
            subscriber.subscribe(BARE_TOPIC, 1);
            long t0 = EventPipeline.bare(broker, BARE_TOPIC, count, payload).startedNanos();
            if (!received.await(3, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new BenchException("the baseline's subscriber received only " + (count - received.getCount())
                        + " of " + count + " messages");
            }
            return count / ((last[0] - t0) / 1e9);
        }
    }

    /** The publisher records its progress within moments of the last ack. */
    private static void awaitPublishedSeq(Journal journal, long seq) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (journal.publishedSeq() < seq && System.nanoTime() < deadline) {
            Pause.millis(20);
        }
    }
}
