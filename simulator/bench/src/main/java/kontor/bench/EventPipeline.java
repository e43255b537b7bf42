package kontor.bench;

import static kontor.core.Events.fields;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import kontor.journal.Event;
import kontor.journal.Journal;
import kontor.journal.JournalPublisher;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.store.Database;

/**
 * Event pipeline: events handed to the journal one by one, as the site thread's {@code Events.emit}
 * does, and stored by its group commit (with WRITE_DELAY=0 a committed event is in the operating
 * system, safe from kill -9), then delivered by the real JournalPublisher through PahoMqttPort to Mosquitto at QoS 1; the clock stops
 * at the broker's acknowledgement of the last one. Baseline, in the same run against the same
 * broker: a bare Paho client publishing the same payloads at QoS 1 with the same window.
 */
final class EventPipeline implements Figure {
    static final String TOPIC = "kontor/bench/events";
    static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");
    /** JournalPublisher's window: events awaiting the broker's ack. */
    static final int WINDOW = 64;
    /** Journaling and publishing at this fraction of what a bare client reaches that only publishes. */
    static final double MIN_RATIO = 0.9;
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public String description() {
        return "events journaled and acknowledged by Mosquitto at QoS 1, against a bare Paho publisher";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        int events = context.settings().scaled(30_000, 200);
        byte[] payload = samplePayload();
        try (Mosquitto broker = Mosquitto.start(context.directory("pipeline-broker"))) {
            // Warm up at full size: the figure is a gateway's steady state (it runs for months), not the
            // first seconds of a JVM whose JIT has not yet compiled H2, Jackson and Paho.
            context.say("pipeline: warming up");
            bare(broker, events, payload);
            journaled(context, broker, events);
            journaled(context, broker, events);
            List<Double> baseline = new ArrayList<>();
            List<Double> kontor = new ArrayList<>();
            List<Double> appendOnly = new ArrayList<>();
            int receiveMaximum = 0;
            for (int run = 0; run < context.settings().runs(); run++) {
                Bare b = bare(broker, events, payload);
                baseline.add(b.rate());
                receiveMaximum = b.serverReceiveMaximum();
                Journaled j = journaled(context, broker, events);
                kontor.add(j.rate());
                appendOnly.add(j.appendRate());
                context.say("pipeline: run %d: kontor %.0f events/s (journal alone %.0f), bare Paho %.0f msg/s",
                        run + 1, j.rate(), j.appendRate(), b.rate());
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put(Result.BASELINE_IS, "bare Paho QoS 1, same payload and window");
            d.put("runs", Numbers.rounded(kontor));
            d.put("baseline_runs", Numbers.rounded(baseline));
            d.put("journal_append_per_s", Results.median(appendOnly));
            d.put("events", events);
            d.put("payload_bytes", payload.length);
            d.put("window", WINDOW);
            d.put("broker_receive_maximum", receiveMaximum);
            d.put("measured", "first event handed in -> broker's PUBACK of the last; the journal's group commit"
                    + " (WRITE_DELAY=0: a committed event survives kill -9), JournalPublisher + PahoMqttPort; baseline: bare Paho v5 QoS 1, same"
                    + " payload and window");
            return List.of(new Result("pipeline", Results.median(kontor), "events/s", Target.atLeastTimesBaseline(MIN_RATIO),
                    Results.median(baseline), d));
        }
    }

    /** A bare publisher's rate to its last ack; {@code startedNanos}: its first publish. */
    record Bare(double rate, int serverReceiveMaximum, long startedNanos) { }

    private record Journaled(double rate, double appendRate) { }

    /** A typical event as published: a granted tap. */
    static byte[] samplePayload() {
        Event e = new Event(123_456, Instant.now(), "card.granted", "reader-bank-a",
                fields("card", "…C001", "member", "m-3f9a2c71", "role", "visitor"));
        return new kontor.journal.EventJson(ZONE).toJson(e);
    }

    private static Bare bare(Mosquitto broker, int count, byte[] payload) throws Exception {
        return bare(broker, TOPIC, count, payload);
    }

    /** A bare Paho client publishes {@code count} times at QoS 1 with {@link #WINDOW} in flight; returns its rate to the last ack. */
    static Bare bare(Mosquitto broker, String topic, int count, byte[] payload) throws Exception {
        try (RawClient client = RawClient.connect(broker.url(), "bench-bare-" + System.nanoTime(), false, null)) {
            Semaphore window = new Semaphore(Math.min(WINDOW, client.serverReceiveMaximum()));
            CountDownLatch done = new CountDownLatch(count);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (!window.tryAcquire(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new BenchException("the broker stopped acknowledging the bare publisher");
                }
                client.publish(topic, payload, 1, null).whenComplete((ok, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    window.release();
                    done.countDown();
                });
            }
            if (!done.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS) || failure.get() != null) {
                throw new BenchException("the bare publisher failed: " + failure.get());
            }
            return new Bare(count / ((System.nanoTime() - t0) / 1e9), client.serverReceiveMaximum(), t0);
        }
    }

    private static Journaled journaled(BenchContext context, Mosquitto broker, int count) {
        Path dir = context.directory("pipeline-db");
        try (Database db = Database.open(dir)) {
            Journal journal = new Journal(db, ZONE);
            AckCounter port = new AckCounter(new PahoMqttPort(MqttSettings.builder(broker.url(), "kontor-bench-pipeline")
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build()));
            JournalPublisher publisher = new JournalPublisher(journal, port, TOPIC);
            try {
                publisher.start();
                port.start();
                awaitConnected(port);
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    journal.handIn("card.granted", "reader-bank-a",
                            fields("card", "…C001", "member", "m-3f9a2c71", "role", "visitor", "n", i), Instant.now(), null);
                }
                journal.awaitWritten();
                long appended = System.nanoTime();
                long deadline = appended + DEADLINE.toNanos();
                while (port.acked() < count) {
                    if (System.nanoTime() > deadline) {
                        throw new BenchException("only " + port.acked() + " of " + count + " events were acknowledged in "
                                + DEADLINE.toMinutes() + " min");
                    }
                    Pause.millis(1);
                }
                return new Journaled(count / ((port.lastAckNanos() - t0) / 1e9), count / ((appended - t0) / 1e9));
            } finally {
                publisher.close();
                port.close();
                journal.close();
            }
        }
    }

    static void awaitConnected(kontor.mqtt.MqttPort port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!port.connected()) {
            if (System.nanoTime() > deadline) {
                throw new BenchException("could not connect to the broker within 20 s");
            }
            Pause.millis(5);
        }
    }
}
