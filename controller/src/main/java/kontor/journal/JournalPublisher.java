package kontor.journal;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import kontor.mqtt.MqttPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the journal to one MQTT topic at QoS 1, at least once and in seq order.
 *
 * <p>A <em>session</em> starts at every (re)connect, with the first event not yet acknowledged. Within a
 * session events are sent in order with up to {@code window} awaiting the broker's ack; acks may arrive in
 * any order but {@link Journal#publishedSeq()} only moves over an unbroken run of acked events. When the
 * connection drops, or a publish fails, the session ends and the next one starts again from the first
 * unacknowledged event: a consumer may see an event twice, never a gap.
 *
 * <p>Progress is written to the database at most every {@link #PERSIST_INTERVAL_MS} ms (and when stopping):
 * a commit for every acknowledged event would cost as much as journaling it, and each commit is pages a
 * tap's disk sync must write. After a crash the few events acknowledged since are simply sent again.
 * Everything runs on one thread of its own; the MQTT and journal callbacks only wake it.
 */
public final class JournalPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournalPublisher.class);
    static final int DEFAULT_WINDOW = 64;
    static final long PERSIST_INTERVAL_MS = 200;
    static final long RETRY_DELAY_MS = 1_000;
    /** A safety net: look at the journal now and then even if no one woke us. */
    static final long IDLE_POLL_MS = 5_000;
    /**
     * Events read from the database at once. Acks free the window one event at a time; reading that
     * little each time would be one database read per event.
     */
    static final int READ_AHEAD = 512;

    private final Journal journal;
    private final MqttPort mqtt;
    private final String topic;
    private final int window;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean woken;

    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    /** Published and not yet answered by the broker, counted as the answers come in. */
    private final AtomicInteger unanswered = new AtomicInteger();
    /** Changes whenever the current session must end (connection up or down, a failed publish). */
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean connected;
    private volatile boolean running;
    private volatile long retryNotBefore;
    private Thread thread;

    // Owned by the publisher thread.
    private long sessionEpoch = -1;
    private final ArrayDeque<Long> inFlight = new ArrayDeque<>();
    /** Events read and not yet sent, from {@code nextToSend} on. */
    private final ArrayDeque<Journal.Publishable> readAhead = new ArrayDeque<>();
    private final Set<Long> ackedAhead = new HashSet<>();
    private long nextToSend;
    private long published;
    private long persisted;
    private long lastPersistNanos;

    private record Ack(long epoch, long seq, Throwable failure) { }

    public JournalPublisher(Journal journal, MqttPort mqtt, String topic) {
        this(journal, mqtt, topic, DEFAULT_WINDOW);
    }

    JournalPublisher(Journal journal, MqttPort mqtt, String topic, int window) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.mqtt = Objects.requireNonNull(mqtt, "mqtt");
        this.topic = Objects.requireNonNull(topic, "topic");
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1");
        }
        this.window = window;
    }

    /** Starts publishing on a thread of its own; returns at once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the journal publisher was already started");
        }
        mqtt.onConnectionChange(up -> {
            connected = up;
            epoch.incrementAndGet();
            if (up) {
                retryNotBefore = 0;
            }
            wake();
        });
        journal.onAppend(this::wake);
        connected = mqtt.connected();
        published = journal.publishedSeq();
        persisted = published;
        running = true;
        thread = Thread.ofPlatform().name("journal-publisher").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Stops the thread and records the progress made; events still unacknowledged are sent by the next run. */
    @Override
    public synchronized void close() {
        if (thread == null || !running) {
            return;
        }
        running = false;
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("The journal publisher did not stop within 10 s");
        }
    }

    private void wake() {
        lock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (running) {
            long waitMs;
            try {
                waitMs = step();
            } catch (RuntimeException e) {
                log.warn("Journal publishing failed, retrying in {} ms: {}", RETRY_DELAY_MS, e.toString());
                endSession(true);
                waitMs = RETRY_DELAY_MS;
            }
            await(waitMs);
        }
        try {
            takeAcks();
            persist();
        } catch (RuntimeException e) {
            log.warn("Could not record journal publication progress at stop: {}", e.toString());
        }
    }

    /** One round of work; returns how long to sleep unless woken. */
    private long step() {
        long currentEpoch = epoch.get();
        if (currentEpoch != sessionEpoch) {
            startSession(currentEpoch);
        }
        takeAcks();
        long now = System.nanoTime();
        long persistIn = TimeUnit.MILLISECONDS.toNanos(PERSIST_INTERVAL_MS) - (now - lastPersistNanos);
        if (published > persisted && persistIn <= 0) {
            persist();
        }
        long retryIn = retryNotBefore - now;
        if (retryIn > 0) {
            return Math.max(1, TimeUnit.NANOSECONDS.toMillis(retryIn));
        }
        if (connected && epoch.get() == sessionEpoch) {
            send();
        }
        return published > persisted ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(persistIn)) : IDLE_POLL_MS;
    }

    private void startSession(long newEpoch) {
        sessionEpoch = newEpoch;
        inFlight.clear();
        ackedAhead.clear();
        acks.clear();
        readAhead.clear();
        nextToSend = published + 1;
    }

    /** Ends the session so that the next one starts again from the first unacknowledged event. */
    private void endSession(boolean backOff) {
        epoch.compareAndSet(sessionEpoch, sessionEpoch + 1);
        if (backOff) {
            retryNotBefore = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MS);
        }
    }

    private void takeAcks() {
        Ack failed = null;
        for (Ack ack = acks.poll(); ack != null; ack = acks.poll()) {
            if (ack.epoch() != sessionEpoch) {
                continue;
            }
            if (ack.failure() != null) {
                if (failed == null || ack.seq() < failed.seq()) {
                    failed = ack;
                }
            } else {
                ackedAhead.add(ack.seq());
            }
        }
        while (!inFlight.isEmpty() && ackedAhead.remove(inFlight.peekFirst())) {
            published = inFlight.pollFirst();
        }
        if (failed != null) {
            if (connected) {
                log.warn("The broker did not take event {}; resending from {}: {}",
                        failed.seq(), published + 1, failed.failure().toString());
            }
            endSession(true);
        }
    }

    private void persist() {
        if (published > persisted) {
            journal.markPublished(published);
            persisted = published;
        }
        lastPersistNanos = System.nanoTime();
    }

    private void send() {
        while (running && inFlight.size() < window && epoch.get() == sessionEpoch) {
            if (readAhead.isEmpty()) {
                List<Journal.Publishable> batch = journal.readPublishable(nextToSend, READ_AHEAD);
                if (batch.isEmpty()) {
                    return;
                }
                readAhead.addAll(batch);
            }
            Journal.Publishable event = readAhead.pollFirst();
            if (event.seq() != nextToSend) {
                readAhead.clear();
                throw new IllegalStateException("the journal has no event " + nextToSend + " (next is " + event.seq() + ")");
            }
            publish(event);
            nextToSend++;
        }
    }

    private void publish(Journal.Publishable event) {
        long sentInEpoch = sessionEpoch;
        long seq = event.seq();
        CompletableFuture<Void> acked;
        try {
            acked = mqtt.publish(topic, event.json(), 1, false);
        } catch (RuntimeException e) {
            acked = CompletableFuture.failedFuture(e);
        }
        inFlight.addLast(seq);
        unanswered.incrementAndGet();
        acked.whenComplete((ignored, failure) -> {
            acks.add(new Ack(sentInEpoch, seq, failure));
            // Woken when half the window is free, not at every ack: the window refills in bursts, one
            // wake-up for many events.
            if (unanswered.decrementAndGet() <= window / 2 || failure != null) {
                wake();
            }
        });
    }

    private void await(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!woken && running && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }
}
