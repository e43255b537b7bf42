package kontor.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One figure's outcome: the value against its target, the baseline measured in the same run where
 * there is one, and details (medians, p99, how many samples, what was measured).
 */
record Result(String name, double value, String unit, Target target, Double baseline, Map<String, Object> details) {
    /** The detail that says what the baseline is, e.g. the machine's floor or a bare client's figure. */
    static final String BASELINE_IS = "baseline_is";

    Result {
        details = details == null ? Map.of() : new LinkedHashMap<>(details);
    }

    Result(String name, double value, String unit, Target target, Map<String, Object> details) {
        this(name, value, unit, target, null, details);
    }

    Double ratio() {
        return baseline == null || baseline == 0 ? null : value / baseline;
    }

    boolean met() {
        return target.met(value, ratio());
    }

    /** {@code met} or {@code short}: what the progress line and the markdown table say. */
    String verdict() {
        return met() ? "met" : "short";
    }

    /** What the baseline is (details' {@code baseline_is}), or null. */
    String baselineIs() {
        return details.get(BASELINE_IS) instanceof String s ? s : null;
    }

    /** The JSON members in their order: name, value, unit, target, met, [baseline, ratio], details. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("value", Numbers.round(value));
        m.put("unit", unit);
        m.put("target", target.describe());
        m.put("met", met());
        if (baseline != null) {
            m.put("baseline", Numbers.round(baseline));
            m.put("ratio", ratio() == null ? null : Numbers.round(ratio()));
        }
        details.forEach((k, v) -> m.put(k, v instanceof Double d ? Numbers.round(d) : v));
        return m;
    }
}
