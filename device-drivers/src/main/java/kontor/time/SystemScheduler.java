package kontor.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real time, on one daemon thread named after its owner, with {@link Lane lanes}: the thread always takes the most
 * urgent waiting task, so a door's signal waits at most for the one task that is running, not for a queue of
 * commands. A second thread ({@code <name>-timers}) only keeps time: when a timer is due it hands the task to the
 * site thread's {@link Lane#DEVICE} lane.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemScheduler.class);

    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final PriorityBlockingQueue<Task> queue = new PriorityBlockingQueue<>();
    private final AtomicLong order = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;

    public SystemScheduler(String threadName) {
        this(Clock.systemUTC(), threadName);
    }

    public SystemScheduler(Clock clock, String threadName) {
        this.clock = clock;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName + "-timers");
            t.setDaemon(true);
            return t;
        });
        this.worker = Thread.ofPlatform().daemon().name(threadName).unstarted(this::work);
        worker.start();
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        AtomicBoolean cancelled = new AtomicBoolean();
        ScheduledFuture<?> f = timers.schedule(() -> handIn(Lane.DEVICE, () -> {
            if (!cancelled.get()) {
                task.run();
            }
        }), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> {
            // Once handed to the site thread the future is done: the flag keeps a cancelled task from running.
            cancelled.set(true);
            f.cancel(false);
        };
    }

    @Override
    public Timer every(Duration period, Runnable task) {
        long nanos = period.toNanos();
        AtomicBoolean cancelled = new AtomicBoolean();
        // A busy site thread must not find a pile of the same periodic task: one waiting run is enough.
        AtomicBoolean waiting = new AtomicBoolean();
        ScheduledFuture<?> f = timers.scheduleAtFixedRate(() -> {
            if (waiting.compareAndSet(false, true)) {
                handIn(Lane.DEVICE, () -> {
                    waiting.set(false);
                    if (!cancelled.get()) {
                        task.run();
                    }
                });
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
        return () -> {
            cancelled.set(true);
            f.cancel(false);
        };
    }

    @Override
    public void execute(Runnable task) {
        execute(Lane.NETWORK, task);
    }

    @Override
    public void execute(Lane lane, Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("the scheduler is closed");
        }
        handIn(lane, task);
    }

    private void handIn(Lane lane, Runnable task) {
        if (!closed) {
            queue.add(new Task(lane.ordinal(), order.incrementAndGet(), task));
        }
    }

    private void work() {
        while (!closed) {
            Task next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                next.action.run();
            } catch (RuntimeException e) {
                // A failing task must not kill the thread, nor a periodic timer.
                log.error("Scheduled task failed", e);
            }
        }
    }

    /** Tasks handed to the site thread and not yet started (tests). */
    int waiting() {
        return queue.size();
    }

    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        worker.interrupt();
        queue.clear();
    }

    /** Most urgent lane first; within a lane, in the order handed in. */
    private record Task(int lane, long order, Runnable action) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Integer.compare(lane, o.lane);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
