package kontor.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit to the disk. A commit with {@code WRITE_DELAY=0} reaches the operating system (it
 * survives kill -9) but not the disk (a power cut can lose it). {@link #awaitDurable()} makes
 * everything this thread committed survive a power cut: it waits for a {@code CHECKPOINT SYNC}
 * that started after the call. One background thread runs the syncs back to back, so callers that
 * arrive while a sync runs share the next one: many grants, one fsync.
 */
public final class GroupSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupSync.class);

    private final Database db;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition requested = lock.newCondition();
    private final Condition done = lock.newCondition();
    private long lastTicket;
    private long lastSynced;
    private volatile boolean running = true;
    private volatile long syncs;
    private final Thread syncer;

    public GroupSync(Database db) {
        this.db = db;
        this.syncer = Thread.ofPlatform().daemon().name("group-sync").start(this::run);
    }

    /** Returns once everything committed before the call is on the disk (or the database closed). */
    public void awaitDurable() {
        lock.lock();
        try {
            long ticket = ++lastTicket;
            requested.signal();
            while (lastSynced < ticket && running) {
                done.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (running) {
            long target;
            lock.lock();
            try {
                while (lastTicket == lastSynced && running) {
                    requested.awaitUninterruptibly();
                }
                target = lastTicket;
            } finally {
                lock.unlock();
            }
            if (!running) {
                break;
            }
            try {
                db.sync();
                syncs++;
            } catch (StoreException e) {
                log.error("Could not force the database to disk: {}", e.getMessage());
            }
            lock.lock();
            try {
                lastSynced = target;
                done.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** How many disk syncs ran: fewer than callers when they arrive together. */
    public long syncs() {
        return syncs;
    }

    /** Stops the syncer; waiting callers are released (the database's own close syncs last). */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            requested.signalAll();
            done.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
