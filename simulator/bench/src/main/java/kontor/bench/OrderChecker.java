package kontor.bench;

import java.util.concurrent.CountDownLatch;

/**
 * Watches the events topic as a consumer would: every seq from 1 on must come in order; a repeat
 * (same seq again after a resend) is allowed, a gap is not.
 */
final class OrderChecker {
    private final long last;
    private final CountDownLatch complete = new CountDownLatch(1);
    private long expected = 1;
    private long repeats;
    private long gaps;
    private long missing;
    private long firstGapAt;
    private volatile long completedNanos;

    OrderChecker(long last) {
        this.last = last;
    }

    /** Takes one event's payload; it starts {@code {"seq":N,} as EventJson writes it. */
    synchronized void accept(byte[] payload) {
        long seq = seqOf(payload);
        if (seq == expected) {
            expected++;
            if (seq == last) {
                completedNanos = System.nanoTime();
                complete.countDown();
            }
        } else if (seq < expected) {
            repeats++;
        } else {
            if (gaps == 0) {
                firstGapAt = expected;
            }
            gaps++;
            missing += seq - expected;
            expected = seq + 1;
        }
    }

    boolean await(long millis) throws InterruptedException {
        return complete.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    long completedNanos() {
        return completedNanos;
    }

    /** Events received in order, once each. */
    synchronized long inOrder() {
        return expected - 1 - missing;
    }

    /** Events skipped over: a later one came first and they never did. */
    synchronized long missing() {
        return missing;
    }

    synchronized long repeats() {
        return repeats;
    }

    synchronized long gaps() {
        return gaps;
    }

    synchronized long firstGapAt() {
        return firstGapAt;
    }

    static long seqOf(byte[] payload) {
        int i = indexOf(payload, "\"seq\":");
        if (i < 0) {
            return -1;
        }
        long n = 0;
        for (int j = i + 6; j < payload.length && payload[j] >= '0' && payload[j] <= '9'; j++) {
            n = n * 10 + (payload[j] - '0');
        }
        return n;
    }

    private static int indexOf(byte[] data, String what) {
        outer:
        for (int i = 0; i + what.length() <= data.length && i < 16; i++) {
            for (int k = 0; k < what.length(); k++) {
                if (data[i + k] != what.charAt(k)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
