package kontor.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} whose time can be moved. <em>Frozen</em> time stands still between
 * {@link #advance} calls (tests: a ten-minute rule takes no real time); <em>flowing</em> time runs
 * with the wall clock from a chosen start and can still be advanced or set (the demo's
 * {@code --clock}).
 *
 * <p>Every task runs on one thread, in due order. {@link #advance} runs each task that falls due
 * on the way at its own instant — so {@code now()} inside a task is the time it was due — and
 * returns only when they have all run.
 *
 * <p>Like the real scheduler it has {@link Lane lanes}: of the tasks ready to run, the most urgent lane's go first
 * (due timers count as {@link Lane#DEVICE}), so a test can show that a door's signal never waits behind commands.
 */
public final class SimulatedTime implements Scheduler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedTime.class);

    private final boolean flowing;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Timers, by due instant; a due one moves to the {@link Lane#DEVICE} lane of {@link #ready}. */
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    /** Tasks ready to run, one queue per lane, most urgent first. */
    private final ArrayDeque<Task>[] ready = newLanes();
    private final AtomicLong order = new AtomicLong();
    private final Thread worker;
    private Instant anchor;
    private long anchorNanos;
    private volatile boolean running = true;

    private SimulatedTime(Instant start, boolean flowing, String threadName) {
        this.flowing = flowing;
        this.anchor = start;
        this.anchorNanos = System.nanoTime();
        this.worker = Thread.ofPlatform().daemon().name(threadName).start(this::work);
    }

    /** Time that stands still until advanced. */
    public static SimulatedTime frozen(Instant start) {
        return new SimulatedTime(start, false, "site-time");
    }

    /** Time that runs with the wall clock from {@code start}, and can still be moved. */
    public static SimulatedTime flowing(Instant start) {
        return new SimulatedTime(start, true, "site-time");
    }

    @Override
    public Instant now() {
        lock.lock();
        try {
            return flowing ? anchor.plusNanos(System.nanoTime() - anchorNanos) : anchor;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Task t = new Task(now().plus(delay.isNegative() ? Duration.ZERO : delay), null, task, order.incrementAndGet());
        enqueue(t);
        return t;
    }

    @Override
    public Timer every(Duration period, Runnable task) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive");
        }
        Task t = new Task(now().plus(period), period, task, order.incrementAndGet());
        enqueue(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        execute(Lane.NETWORK, task);
    }

    @Override
    public void execute(Lane lane, Runnable task) {
        Task t = new Task(null, null, task, order.incrementAndGet());
        lock.lock();
        try {
            ready[lane.ordinal()].add(t);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private static ArrayDeque<Task>[] newLanes() {
        ArrayDeque<Task>[] lanes = new ArrayDeque[Lane.values().length];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new ArrayDeque<>();
        }
        return lanes;
    }

    /** Under the lock: the most urgent ready task, after moving the timers due by {@code now} to the device lane. */
    private Task nextReady(Instant now) {
        while (!queue.isEmpty() && !queue.peek().due.isAfter(now)) {
            ready[Lane.DEVICE.ordinal()].add(queue.poll());
        }
        for (ArrayDeque<Task> lane : ready) {
            if (!lane.isEmpty()) {
                return lane.poll();
            }
        }
        return null;
    }

    /** Moves time forward by {@code by}, running every task that falls due, each at its instant. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time cannot be advanced backwards: " + by);
        }
        onWorker(() -> moveTo(now().plus(by)));
    }

    /**
     * Sets the time. Forward, it behaves like {@link #advance}; backward, pending tasks keep their
     * due instants and simply wait longer.
     */
    public void set(Instant to) {
        onWorker(() -> moveTo(to));
    }

    /** How many tasks are waiting to run (cancelled ones not counted): a test's check that nothing was left armed. */
    public int pending() {
        lock.lock();
        try {
            return (int) queue.stream().filter(t -> !t.cancelled).count();
        } finally {
            lock.unlock();
        }
    }

    private void onWorker(Runnable action) {
        if (Thread.currentThread() == worker) {
            action.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        done.join();
    }

    /** Runs on the worker: every task due up to {@code target}, at its own instant. */
    private void moveTo(Instant target) {
        while (true) {
            Task next;
            lock.lock();
            try {
                next = nextReady(now());
                if (next == null) {
                    next = queue.peek();
                    if (next == null || next.due.isAfter(target)) {
                        setNow(target);
                        return;
                    }
                    queue.poll();
                    if (next.due.isAfter(now())) {
                        setNow(next.due);
                    }
                }
            } finally {
                lock.unlock();
            }
            run(next);
        }
    }

    private void setNow(Instant t) {
        anchor = t;
        anchorNanos = System.nanoTime();
        changed.signalAll();
    }

    private void enqueue(Task t) {
        lock.lock();
        try {
            queue.add(t);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (running) {
            Task next = null;
            lock.lock();
            try {
                Instant now = flowing ? anchor.plusNanos(System.nanoTime() - anchorNanos) : anchor;
                next = nextReady(now);
                Task head = queue.peek();
                if (next == null && head != null && flowing) {
                    changed.awaitNanos(Math.max(1, Duration.between(now, head.due).toNanos()));
                } else if (next == null) {
                    changed.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (next != null) {
                run(next);
            }
        }
    }

    private void run(Task t) {
        if (t.cancelled) {
            return;
        }
        try {
            t.action.run();
        } catch (RuntimeException e) {
            log.error("Scheduled task failed", e);
        }
        if (t.period != null && !t.cancelled) {
            t.due = t.due.plus(t.period);
            enqueue(t);
        }
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }

    private static final class Task implements Timer, Comparable<Task> {
        Instant due;
        final Duration period;
        final Runnable action;
        final long seq;
        volatile boolean cancelled;

        Task(Instant due, Duration period, Runnable action, long seq) {
            this.due = due;
            this.period = period;
            this.action = action;
            this.seq = seq;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
