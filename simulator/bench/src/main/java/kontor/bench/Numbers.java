package kontor.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/** How figures are written: to three significant digits, which is all these machines can tell apart. */
final class Numbers {

    private Numbers() { }

    /** Three significant digits: the noise on these machines is larger than that. */
    static Object round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return (long) value;
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(Math.abs(value) >= 1000 ? 6 : 3));
        return rounded.stripTrailingZeros().doubleValue();
    }

    static String number(double value) {
        Object rounded = round(value);
        return String.valueOf(rounded);
    }

    static List<Object> rounded(List<Double> values) {
        return values.stream().map(Numbers::round).toList();
    }
}
