package kontor.journal;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import kontor.store.Database;
import kontor.store.StoreException;
import kontor.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the journal. Events handed in by any thread wait in a queue; whatever is waiting
 * is written in one transaction with the next sequence numbers, and disk syncs asked for meanwhile
 * share one {@code CHECKPOINT SYNC} after that commit.
 *
 * <p>Why: H2 writes a chunk of changed pages for every commit (about 100 µs here, and some 1 KB of
 * flash wear per commit on a Pi's SD card), while ten events in one transaction cost little more
 * than one. The site thread hands an event in and goes on deciding; whoever then tells or moves
 * something waits for the commit first ({@link #awaitWritten()}, {@link #awaitDurable()}).
 *
 * <p>Who commits: a thread that waits does the commit itself when nobody else is committing and it
 * has no transaction open (it <em>leads</em>: a tap then pays for one commit and one sync, not for
 * hand-overs between threads as well); otherwise the writer thread does. Events nobody waits for
 * may linger up to {@link #LINGER_NANOS} for others to share their commit: under a steady stream of
 * telemetry a commit per event would also make every tap's sync write all of their pages.
 *
 * <p>Order is kept: events are taken in the order they were handed in, one committer at a time. A
 * batch that cannot be written is tried again a few times; if it still fails, its events are
 * reported lost in the log and whoever waits for them gets the error, as a failed append would
 * have thrown.
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** Events per transaction at most: a commit stays short, so a tap's grant never waits long behind a burst. */
    static final int MAX_BATCH = 1_000;
    /** Events waiting at most; beyond it whoever hands one in waits for the writer (nothing is dropped). */
    static final int MAX_QUEUED = 20_000;
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * How long events nobody waits for may wait for company. A commit is about as dear for one event as
     * for fifty, and each commit's pages are what a later disk sync has to write: under a steady stream
     * of telemetry, committing every event at once would make a tap's sync write them all.
     */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int ATTEMPTS = 4;

    /** Writes a batch in the given transaction, setting each event's seq. */
    interface BatchWriter {
        void write(Tx tx, List<Pending> batch) throws SQLException;
    }

    /** An event handed in and not yet known to be written. */
    static final class Pending {
        final String type;
        final String device;
        final String fields;
        final Instant ts;
        private final LongConsumer onWritten;
        long seq;
        private boolean done;
        private StoreException failure;

        Pending(String type, String device, String fields, Instant ts, LongConsumer onWritten) {
            this.type = type;
            this.device = device;
            this.fields = fields;
            this.ts = ts;
            this.onWritten = onWritten;
        }
    }

    private final Database db;
    private final BatchWriter writer;
    private final Consumer<List<Pending>> written;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** The newest event handed in: once it is done, so is every event before it. */
    private Pending newest;
    private long handedIn;
    /** Threads waiting for a commit or a sync: the writer commits at once while there are any. */
    private int waiters;
    /** When the oldest event in the queue was handed in. */
    private long oldestNanos;
    private long doneThrough;
    private long syncsAsked;
    private long syncsDone;
    /** How many events had been handed in when the newest sync was asked for: the sync waits for them. */
    private long syncAfter;
    private Thread thread;
    /** A commit or sync is running, on the writer or on a thread that leads (see {@link #lead}). */
    private boolean busy;
    private boolean closed;
    private volatile long commits;
    private volatile long syncs;

    /** {@code written} runs on the committing thread (the writer or a leader) after each batch; it must not block. */
    GroupCommit(Database db, BatchWriter writer, Consumer<List<Pending>> written) {
        this.db = db;
        this.writer = writer;
        this.written = written;
    }

    /** Hands an event to the writer; returns at once unless {@link #MAX_QUEUED} events are waiting. */
    void handIn(Pending p) {
        lock.lock();
        try {
            while (queue.size() >= MAX_QUEUED && !closed) {
                progress.awaitUninterruptibly();
            }
            if (closed) {
                throw new StoreException("the journal is closed: event " + p.type + " not recorded");
            }
            if (queue.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            queue.addLast(p);
            newest = p;
            handedIn++;
            if (thread == null || queue.size() == 1 || queue.size() == MAX_BATCH) {
                wakeWriter(); // otherwise the writer is lingering with a timeout and will come
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code p} is written; throws the writer's error if it could not be. */
    void awaitWritten(Pending p) {
        lock.lock();
        try {
            while (!p.done) {
                if (!lead()) {
                    awaitProgress();
                }
            }
            if (p.failure != null) {
                throw p.failure;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every event handed in before the call is written (it survives a kill -9). */
    void awaitWritten() {
        Pending last;
        lock.lock();
        try {
            last = newest;
        } finally {
            lock.unlock();
        }
        if (last != null) {
            awaitWritten(last);
        }
    }

    /**
     * Waits until every event handed in before the call is written and everything committed before it
     * (by the writer or by anyone else's transaction) is on the disk: it then survives a power cut.
     * Callers that ask while a sync runs share the next one. Returns at once when closed.
     */
    void awaitDurable() {
        Pending last;
        lock.lock();
        try {
            last = newest;
            long ticket = ++syncsAsked;
            syncAfter = handedIn;
            while (syncsDone < ticket && !closed) {
                if (!lead()) {
                    awaitProgress();
                }
            }
        } finally {
            lock.unlock();
        }
        if (last != null) {
            awaitWritten(last);
        }
    }

    /** Transactions the group commit wrote so far (by the writer or by leaders). */
    long commits() {
        return commits;
    }

    /** Disk syncs run so far: fewer than the callers who asked when they arrive together. */
    long syncs() {
        return syncs;
    }

    /** Refuses new events, writes those waiting, syncs if asked, and stops the writer (within 30 s). */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
            work.signalAll();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the writer when none runs (it stops after a while with nothing to do); holds the lock. */
    private void wakeWriter() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("journal-writer").start(this::run);
        } else {
            work.signal();
        }
    }

    /**
     * Does the writer's next turn on this thread, when nobody else is committing and this thread has no
     * transaction open: a tap waiting for its grant then pays for one commit and one sync, not also for
     * two hand-overs between threads. Holds the lock on entry and on return; returns false when it could
     * not lead.
     */
    private boolean lead() {
        if (busy || closed || db.currentTransaction().isPresent()) {
            return false;
        }
        busy = true;
        lock.unlock();
        try {
            turn();
        } finally {
            lock.lock();
            busy = false;
            work.signal(); // the writer may have waited for us
        }
        return true;
    }

    /** Waits for someone else's commit or sync, making sure the writer knows it is waited for; holds the lock. */
    private void awaitProgress() {
        waiters++;
        wakeWriter();
        try {
            progress.awaitUninterruptibly();
        } finally {
            waiters--;
        }
    }

    private void run() {
        while (true) {
            lock.lock();
            try {
                long idleSince = System.nanoTime();
                while (true) {
                    long now = System.nanoTime();
                    if (busy) {
                        work.awaitNanos(IDLE_NANOS);
                        idleSince = System.nanoTime();
                        continue;
                    }
                    if (queue.isEmpty() && syncsAsked == syncsDone) {
                        if (closed || now - idleSince >= IDLE_NANOS) {
                            thread = null;
                            return;
                        }
                        work.awaitNanos(IDLE_NANOS);
                        continue;
                    }
                    long lingerLeft = oldestNanos + LINGER_NANOS - now;
                    if (queue.isEmpty() || waiters > 0 || closed || syncsAsked > syncsDone
                            || queue.size() >= MAX_BATCH || lingerLeft <= 0) {
                        break;
                    }
                    work.awaitNanos(lingerLeft);
                }
                busy = true;
            } catch (InterruptedException e) {
                // Never interrupted by us; keep writing so that no waiter is left behind.
                continue;
            } finally {
                lock.unlock();
            }
            try {
                turn();
            } finally {
                lock.lock();
                busy = false;
                lock.unlock();
            }
        }
    }

    /** Commits what is waiting (up to {@link #MAX_BATCH}), then syncs if a sync was asked for and is now covered. */
    private void turn() {
        List<Pending> batch = new ArrayList<>(Math.min(MAX_BATCH, 64));
        long syncTarget = 0;
        lock.lock();
        try {
            while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(queue.pollFirst());
            }
            if (!queue.isEmpty()) {
                oldestNanos = System.nanoTime() - LINGER_NANOS; // the rest of a burst goes next, without lingering
            }
            if (syncsAsked > syncsDone && doneThrough + batch.size() >= syncAfter) {
                syncTarget = syncsAsked;
            }
        } finally {
            lock.unlock();
        }
        if (!batch.isEmpty()) {
            commit(batch);
        }
        if (syncTarget > 0) {
            sync(syncTarget);
        }
    }

    private void commit(List<Pending> batch) {
        StoreException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                db.inTransaction(tx -> {
                    writer.write(tx, batch);
                    return null;
                });
                failure = null;
                break;
            } catch (StoreException e) {
                failure = e;
                if (db.isClosed() || attempt == ATTEMPTS) {
                    break;
                }
                log.warn("Could not write {} events to the journal (attempt {} of {}): {}", batch.size(), attempt, ATTEMPTS, e.getMessage());
                pause(attempt * 50L);
            } catch (RuntimeException | Error e) {
                // Not the database refusing: a fault of ours. The waiters must hear of it, not hang.
                failure = new StoreException("the journal could not write " + batch.size() + " events: " + e, e);
                break;
            }
        }
        if (failure == null) {
            commits++;
            for (Pending p : batch) {
                if (p.onWritten != null) {
                    try {
                        p.onWritten.accept(p.seq);
                    } catch (RuntimeException e) {
                        log.error("An after-write action of event #{} failed", p.seq, e);
                    }
                }
            }
            written.accept(batch);
        } else {
            log.error("{} events ({} to {}) could not be journaled and are lost: {}", batch.size(),
                    batch.getFirst().type, batch.getLast().type, failure.getMessage());
        }
        lock.lock();
        try {
            for (Pending p : batch) {
                p.failure = failure;
                p.done = true;
            }
            doneThrough += batch.size();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void sync(long target) {
        try {
            db.sync();
            syncs++;
        } catch (StoreException e) {
            log.error("Could not force the journal to disk: {}", e.getMessage());
        }
        lock.lock();
        try {
            syncsDone = Math.max(syncsDone, target);
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
