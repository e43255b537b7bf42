package kontor.journal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import kontor.mqtt.MqttPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code events.replay}: publishes a range of the journal again on the events topic, in order, at
 * QoS 1, on a thread of its own so the site goes on meanwhile. Consumers see the same {@code seq}
 * again, which they already treat as a repeat.
 */
public final class EventReplay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventReplay.class);
    /** The most events one replay may ask for. */
    public static final long MAX_EVENTS = 100_000;
    private static final int BATCH = 500;
    private static final int IN_FLIGHT = 64;

    private final Journal journal;
    private final MqttPort mqtt;
    private final String topic;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "event-replay");
        t.setDaemon(true);
        return t;
    });

    public EventReplay(Journal journal, MqttPort mqtt, String topic) {
        this.journal = journal;
        this.mqtt = mqtt;
        this.topic = topic;
    }

    /**
     * Counts the events still in the journal between {@code fromSeq} and {@code toSeq} (inclusive)
     * and starts publishing them. Events already removed by retention are simply not there.
     */
    public long replay(long fromSeq, long toSeq) {
        long last = Math.min(toSeq, journal.lastSeq());
        long count = 0;
        for (long seq = fromSeq; seq <= last; seq += BATCH) {
            count += journal.read(seq, (int) Math.min(BATCH, last - seq + 1)).size();
        }
        long end = last;
        worker.execute(() -> publish(fromSeq, end));
        return count;
    }

    private void publish(long fromSeq, long toSeq) {
        ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        try {
            for (long seq = fromSeq; seq <= toSeq; ) {
                List<Journal.Publishable> batch = journal.readPublishable(seq, (int) Math.min(BATCH, toSeq - seq + 1));
                if (batch.isEmpty()) {
                    break;
                }
                for (Journal.Publishable e : batch) {
                    if (inFlight.size() >= IN_FLIGHT) {
                        inFlight.poll().get(30, TimeUnit.SECONDS);
                    }
                    inFlight.add(mqtt.publish(topic, e.json(), 1, false));
                }
                seq = batch.get(batch.size() - 1).seq() + 1;
            }
            for (CompletableFuture<Void> f : inFlight) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.warn("Replay of events {}..{} stopped: {}", fromSeq, toSeq, e.toString());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
