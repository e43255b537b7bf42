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
 */
public interface Scheduler {

    /** The current instant. */
    Instant now();

    /** Runs {@code task} once, after {@code delay}. */
    Timer schedule(Duration delay, Runnable task);

    /** Runs {@code task} every {@code period}, first after one period. */
    Timer every(Duration period, Runnable task);

    /** Runs {@code task} on the scheduler's thread as soon as possible. */
    void execute(Runnable task);

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
