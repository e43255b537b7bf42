package kontor.time;

import java.time.Duration;
import java.time.Instant;

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

    /** A scheduled task that can still be called off. */
    interface Timer {
        /** Calls the task off; harmless if it already ran or was cancelled. */
        void cancel();
    }
}
