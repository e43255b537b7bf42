package kontor.bench;

import java.util.concurrent.locks.LockSupport;

/** Waiting in a benchmark: polling loops and pacing, never in tests' assertions. */
final class Pause {
    private Pause() { }

    static void millis(long ms) {
        nanos(ms * 1_000_000L);
    }

    static void nanos(long nanos) {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    /** Parks until {@code deadline} (a nanoTime), with a short spin at the end for precision. */
    static void until(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (left > 200_000) {
                nanos(left - 100_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
