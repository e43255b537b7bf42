package kontor.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Statistics over samples, and the one-line JSON form of a result. */
final class Results {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Results() { }

    /** One line of JSON. */
    static String json(Result r) {
        return json(r.toMap());
    }

    static String json(Map<String, Object> members) {
        try {
            return MAPPER.writeValueAsString(members);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result cannot be written as JSON", e);
        }
    }

    /** The {@code p}-th percentile (0 < p <= 100, nearest rank) of the values; NaN when there are none. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /**
     * The results as a markdown table: each figure's value, its baseline or floor measured in the same run,
     * the ratio of the two, the target and {@code met} or {@code short}.
     */
    static String markdown(List<Result> results) {
        StringBuilder b = new StringBuilder("| figure | value | baseline (same run) | ratio | target | |\n|---|---|---|---|---|---|\n");
        for (Result r : results) {
            String baseline = r.baseline() == null ? "" : Numbers.number(r.baseline()) + " " + baselineUnit(r)
                    + (r.baselineIs() == null ? "" : " (" + r.baselineIs() + ")");
            b.append("| `").append(r.name()).append("` | ").append(text(r.value(), r.unit())).append(" | ").append(baseline)
                    .append(" | ").append(r.ratio() == null ? "" : Numbers.number(r.ratio())).append(" | ")
                    .append(r.target().describe()).append(" | ").append(r.verdict()).append(" |\n");
        }
        return b.toString();
    }

    /** A value and its unit; an unbounded one (a tap that never came) as "none". */
    static String text(double value, String unit) {
        Object rounded = Numbers.round(value);
        return rounded == null ? "none" : rounded + " " + unit;
    }

    /** A baseline is in the figure's unit, but for throughputs whose baseline counts messages, not events. */
    private static String baselineUnit(Result r) {
        return r.unit().equals("events/s") ? "msg/s" : r.unit();
    }

    /** p50, p99, max and the count of latency samples, for a result's details. */
    static Map<String, Object> latency(double[] millis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", percentile(millis, 50));
        m.put("p99", percentile(millis, 99));
        m.put("max", max(millis));
        m.put("samples", millis.length);
        return m;
    }

}
