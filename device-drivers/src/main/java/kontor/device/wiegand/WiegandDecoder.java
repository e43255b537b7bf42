package kontor.device.wiegand;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import kontor.device.Cards;

/**
 * Assembles Wiegand bits into frames and checks them. A frame ends when no bit has come for
 * {@link Timing#frameGap()}; the caller learns that either from the next {@link #feed} or from
 * {@link #poll}, which it calls from its own timer. Times are {@link System#nanoTime()} values:
 * bit timing is the reader's real time, never the site's clock. Not thread-safe; one reader, one decoder.
 */
public final class WiegandDecoder {

    /**
     * Bounds on the time between two bits of a frame, and the silence that ends a frame.
     * The lower bound is lenient on purpose: edge times are taken in Java after the kernel, so a
     * pause of the JVM can bunch edges that arrived well apart.
     */
    public record Timing(Duration minBitInterval, Duration maxBitInterval, Duration frameGap) {
        public static final Timing DEFAULT =
                new Timing(Duration.ofNanos(50_000), Duration.ofMillis(20), Duration.ofMillis(25));

        public Timing {
            Objects.requireNonNull(minBitInterval, "minBitInterval");
            Objects.requireNonNull(maxBitInterval, "maxBitInterval");
            Objects.requireNonNull(frameGap, "frameGap");
            if (minBitInterval.isNegative()) {
                throw new IllegalArgumentException("minimum bit interval must not be negative");
            }
            if (maxBitInterval.compareTo(minBitInterval) <= 0) {
                throw new IllegalArgumentException("maximum bit interval must be longer than the minimum");
            }
            if (frameGap.compareTo(maxBitInterval) < 0) {
                throw new IllegalArgumentException("frame gap must not be shorter than the maximum bit interval");
            }
        }
    }

    /** What a finished frame turned out to be. */
    public sealed interface Result permits Card, Rejected { }

    /** A good frame: the data bits as upper-case hex digits. */
    public record Card(String hex, int bits) implements Result {
        @Override
        public String toString() {
            return "Card[" + Cards.mask(hex) + ", " + bits + " bits]";
        }
    }

    /** A frame that cannot be trusted, and why. */
    public record Rejected(String reason, int bits) implements Result { }

    private final Timing timing;
    private final long minNanos;
    private final long maxNanos;
    private final long gapNanos;

    private final boolean[] bits = new boolean[WiegandFormat.LONGEST_FRAME + 1];
    private int count;
    private long lastBitAt;
    private String timingFault;

    public WiegandDecoder() {
        this(Timing.DEFAULT);
    }

    public WiegandDecoder(Timing timing) {
        this.timing = Objects.requireNonNull(timing, "timing");
        this.minNanos = timing.minBitInterval().toNanos();
        this.maxNanos = timing.maxBitInterval().toNanos();
        this.gapNanos = timing.frameGap().toNanos();
    }

    public Timing timing() {
        return timing;
    }

    /**
     * Takes one bit seen at {@code nanoTime}. Returns the previous frame's result if this bit came
     * after a frame gap that nobody {@link #poll polled} yet.
     *
     * @throws IllegalArgumentException if {@code bit} is neither 0 nor 1
     */
    public Optional<Result> feed(int bit, long nanoTime) {
        if (bit != 0 && bit != 1) {
            throw new IllegalArgumentException("a Wiegand bit is 0 or 1, not " + bit);
        }
        Optional<Result> previous = poll(nanoTime);
        if (count > 0) {
            long interval = nanoTime - lastBitAt;
            if (timingFault == null && interval < minNanos) {
                timingFault = "bits too fast: " + millis(interval) + " ms apart, minimum " + millis(minNanos) + " ms";
            } else if (timingFault == null && interval > maxNanos) {
                timingFault = "bits too slow: " + millis(interval) + " ms apart, maximum " + millis(maxNanos) + " ms";
            }
        }
        if (count < bits.length) {
            bits[count] = bit == 1;
        }
        count++;
        lastBitAt = nanoTime;
        return previous;
    }

    /** Ends the frame if the gap has passed since its last bit, and returns its result. */
    public Optional<Result> poll(long nanoTime) {
        if (count == 0 || nanoTime - lastBitAt < gapNanos) {
            return Optional.empty();
        }
        Result result = decode();
        count = 0;
        timingFault = null;
        return Optional.of(result);
    }

    /** Whether bits of an unfinished frame are waiting. */
    public boolean inFrame() {
        return count > 0;
    }

    /** The nanoTime at which the current frame will end if no bit comes, meaningful only {@link #inFrame()}. */
    public long frameEndsAt() {
        return lastBitAt + gapNanos;
    }

    private Result decode() {
        if (timingFault != null) {
            return new Rejected(timingFault, count);
        }
        if (!WiegandFormat.FRAME_BITS.contains(count)) {
            return new Rejected("wrong length: " + count + " bits, expected " + WiegandFormat.describeLengths(), count);
        }
        boolean[] data = new boolean[count - 2];
        System.arraycopy(bits, 1, data, 0, data.length);
        if ((bits[0] ? 1 : 0) != WiegandFormat.leadingParity(data)) {
            return new Rejected("parity error: leading even parity over the first half", count);
        }
        if ((bits[count - 1] ? 1 : 0) != WiegandFormat.trailingParity(data)) {
            return new Rejected("parity error: trailing odd parity over the second half", count);
        }
        StringBuilder hex = new StringBuilder(data.length / 4);
        for (int i = 0; i < data.length; i += 4) {
            int nibble = (data[i] ? 8 : 0) | (data[i + 1] ? 4 : 0) | (data[i + 2] ? 2 : 0) | (data[i + 3] ? 1 : 0);
            hex.append(Character.toUpperCase(Character.forDigit(nibble, 16)));
        }
        return new Card(hex.toString(), count);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1_000_000.0);
    }
}
