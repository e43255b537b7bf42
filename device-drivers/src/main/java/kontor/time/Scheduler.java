package kontor.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The gateway's only source of time and timers. Nothing reads the wall clock directly:
 * production uses {@link SystemScheduler}; the simulator supplies one it can move.
 *
 * <p>Tasks run one at a time, in due order, on the scheduler's own thread, never on the caller's.
 *
 * <p>Doors first: a task handed in with {@link #execute(Lane, Runnable)} waits only for the task that is running and
 * for tasks of its own or a more urgent {@link Lane}, never for a queue of commands from the network. Timers are
 * the site's own rules (a door relocks, a held-open alarm) and run in the {@link Lane#DEVICE} lane when due.
 */
public interface Scheduler {

    /** The current instant. */
    Instant now();

    /** Runs {@code task} once, after {@code delay}. */
    Timer schedule(Duration delay, Runnable task);

    /** Runs {@code task} every {@code period}, first after one period. */
    Timer every(Duration period, Runnable task);

    /**
     * Runs {@code task} on the scheduler's thread as soon as possible, in the {@link Lane#NETWORK} lane: behind
     * every signal from a device and every due timer.
     */
    void execute(Runnable task);

    /**
     * Runs {@code task} on the scheduler's thread as soon as possible, ahead of every waiting task of a less urgent
     * lane; within a lane, in the order handed in. A scheduler without lanes (a test's) runs it like {@link #execute}.
     */
    default void execute(Lane lane, Runnable task) {
        execute(task);
    }

    /**
     * How urgent a task is, most urgent first. Nothing from the network may delay a door decision, so a signal from a
     * wired door, reader, lock or fire input never queues behind a command; a report from a field node (CoAP,
     * Zigbee2MQTT) comes after those, but still ahead of commands and simulator control.
     */
    enum Lane {
        /** Wired devices (doors, readers, locks, fire) and the site's own timers. */
        DEVICE,
        /** Reports from field nodes: sensors that reach the gateway over a network, rate-limited per node. */
        FIELD,
        /** Commands, simulator control and everything else that arrives from MQTT. */
        NETWORK
    }

    /**
     * Runs {@code work} on the scheduler's thread and waits until it has run, at most {@code atMost};
     * what it throws is thrown here. Never call it from the scheduler's own thread: it would wait for itself.
     */
    default void runAndWait(Runnable work, Duration atMost) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            try {
                work.run();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(atMost.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e.getCause();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the scheduler's thread did not run a task within " + atMost);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the scheduler's thread", e);
        }
    }

    /** A scheduled task that can still be called off. */
    interface Timer {
        /** Calls the task off; harmless if it already ran or was cancelled. */
        void cancel();
    }
}
