package kontor.bench;

/**
 * What a figure must reach: at most or at least a bound, and, for a figure with a baseline, at
 * least a fraction of the baseline as well ({@code ratio} of an at-least target), or at most a multiple
 * of it ({@code ratio} of an at-most target).
 */
record Target(boolean atMost, double bound, Double ratio) {

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

    /** At least {@code minRatio} times the baseline, whatever the baseline is. */
    static Target atLeastTimesBaseline(double minRatio) {
        return new Target(false, Double.NEGATIVE_INFINITY, minRatio);
    }

    /** At most {@code maxRatio} times the baseline, whatever the baseline is. */
    static Target atMostTimesBaseline(double maxRatio) {
        return new Target(true, Double.POSITIVE_INFINITY, maxRatio);
    }

    boolean met(double value, Double actualRatio) {
        boolean bounded = atMost ? value <= bound : value >= bound;
        if (ratio == null) {
            return bounded;
        }
        return bounded && actualRatio != null && (atMost ? actualRatio <= ratio : actualRatio >= ratio);
    }

    /** {@code "<= 5"}, {@code ">= 20000 and >= 0.5 x baseline"}, {@code "<= 2 x baseline"}, {@code ">= 0.9 x baseline"}. */
    String describe() {
        String op = atMost ? "<= " : ">= ";
        if (Double.isInfinite(bound)) {
            return op + Numbers.number(ratio) + " x baseline";
        }
        String text = op + Numbers.number(bound);
        return ratio == null ? text : text + " and " + op + Numbers.number(ratio) + " x baseline";
    }
}
