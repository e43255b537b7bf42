package kontor.bench;

/**
 * What a figure must reach: at most or at least a bound, and, for a figure with a baseline, at
 * least a fraction of the baseline as well.
 */
record Target(boolean atMost, double bound, Double minRatio) {

    static Target atMost(double bound) {
        return new Target(true, bound, null);
    }

    static Target atLeast(double bound) {
        return new Target(false, bound, null);
    }

    /** At least {@code bound} and at least {@code minRatio} times the baseline. */
    static Target atLeast(double bound, double minRatio) {
        return new Target(false, bound, minRatio);
    }

    boolean met(double value, Double ratio) {
        boolean bounded = atMost ? value <= bound : value >= bound;
        return bounded && (minRatio == null || (ratio != null && ratio >= minRatio));
    }

    /** {@code "<= 5"}, {@code ">= 20000 and >= 0.5 x baseline"}. */
    String describe() {
        String text = (atMost ? "<= " : ">= ") + Numbers.number(bound);
        return minRatio == null ? text : text + " and >= " + Numbers.number(minRatio) + " x baseline";
    }
}
