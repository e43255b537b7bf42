package kontor.device.wiegand;

import java.util.Set;

/**
 * The frames Kontor accepts: 26, 34 and 58 bits, each a leading even-parity bit over the first half
 * of the data bits, the data (most significant bit first), and a trailing odd-parity bit over the
 * second half. The one place both the decoder and the encoder learn the format from.
 */
final class WiegandFormat {
    static final Set<Integer> FRAME_BITS = Set.of(26, 34, 58);
    static final int LONGEST_FRAME = 58;

    private WiegandFormat() { }

    static String describeLengths() {
        return "26, 34 or 58";
    }

    /** The leading bit that makes the ones in it and the first half of {@code data} even. */
    static int leadingParity(boolean[] data) {
        return ones(data, 0, data.length / 2) % 2;
    }

    /** The trailing bit that makes the ones in it and the second half of {@code data} odd. */
    static int trailingParity(boolean[] data) {
        return 1 - ones(data, data.length / 2, data.length) % 2;
    }

    private static int ones(boolean[] bits, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (bits[i]) {
                n++;
            }
        }
        return n;
    }
}
