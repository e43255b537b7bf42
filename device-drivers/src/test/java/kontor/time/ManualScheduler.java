package kontor.time;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/** A scheduler whose time moves only when a test says so; due tasks run on the caller of {@link #advance}. */
public final class ManualScheduler implements Scheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private Instant now;
    private long sequence;

    public ManualScheduler() {
        this(Instant.parse("2026-03-02T08:00:00Z"));
    }

    public ManualScheduler(Instant start) {
        this.now = start;
    }

    private final class Task implements Comparable<Task>, Timer {
        Instant due;
        final Duration period;
        final Runnable action;
        final long order = sequence++;
        boolean cancelled;

        Task(Instant due, Duration period, Runnable action) {
            this.due = due;
            this.period = period;
            this.action = action;
        }

        @Override
        public int compareTo(Task o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }

        @Override
        public void cancel() {
            synchronized (ManualScheduler.this) {
                cancelled = true;
                queue.remove(this);
            }
        }
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable task) {
        Task t = new Task(now.plus(delay), null, task);
        queue.add(t);
        return t;
    }

    @Override
    public synchronized Timer every(Duration period, Runnable task) {
        Task t = new Task(now.plus(period), period, task);
        queue.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Moves time forward by {@code by}, running every task that falls due, in due order. */
    public void advance(Duration by) {
        Instant target;
        synchronized (this) {
            target = now.plus(by);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due;
                if (next.period != null) {
                    next.due = next.due.plus(next.period);
                    queue.add(next);
                }
            }
            next.action.run();
        }
    }

    /** How many tasks are waiting. */
    public synchronized int pending() {
        return queue.size();
    }
}
