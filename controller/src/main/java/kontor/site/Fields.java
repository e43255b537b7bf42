package kontor.site;

import com.fasterxml.jackson.core.JsonToken;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the keys of one YAML mapping, converting and range-checking values and reporting each problem at its
 * line and path. Every key asked for becomes known; {@link #rejectUnknown()} then reports the others. A key
 * with an empty value ({@code key:} or {@code ~}) counts as absent. Getters return null after a problem.
 */
final class Fields {
    private final Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();
    private final Problems problems;
    private final boolean valid;
    final String path;
    final int line;

    private Fields(YamlNode node, String path, Problems problems, boolean valid) {
        this.path = path;
        this.line = node == null ? 1 : node.line();
        this.problems = problems;
        this.valid = valid;
        if (node instanceof YamlNode.Mapping mapping) {
            mapping.entries().forEach(e -> entries.put(e.key(), e));
        }
    }

    /** The fields of a mapping; anything else is reported, and reads as a mapping without keys. */
    static Fields of(YamlNode node, String path, Problems problems) {
        if (node instanceof YamlNode.Mapping) {
            return new Fields(node, path, problems, true);
        }
        if (node != null) {
            problems.add(node.line(), path, "expected a mapping (key: value), found " + node.describe());
        }
        return new Fields(node, path, problems, false);
    }

    /** False when the node was not a mapping at all (already reported). */
    boolean isValid() {
        return valid;
    }

    String at(String key) {
        return Problems.join(path, key);
    }

    /** The line of that key, or of this mapping if the key is absent. */
    int lineOf(String key) {
        YamlNode.Entry entry = entries.get(key);
        return entry == null ? line : entry.line();
    }

    boolean has(String key) {
        return node(key) != null;
    }

    YamlNode node(String key) {
        known.add(key);
        YamlNode.Entry entry = entries.get(key);
        if (entry == null || entry.value() instanceof YamlNode.Scalar s && s.isNull()) {
            return null;
        }
        return entry.value();
    }

    YamlNode required(String key) {
        YamlNode node = node(key);
        if (node == null && valid) {
            problems.add(lineOf(key), at(key), "is required");
        }
        return node;
    }

    String text(String key) {
        YamlNode node = required(key);
        return node == null ? null : text(node, at(key), problems);
    }

    String optText(String key, String fallback) {
        YamlNode node = node(key);
        return node == null ? fallback : text(node, at(key), problems);
    }

    Long integer(String key, long min, long max) {
        YamlNode node = required(key);
        return node == null ? null : integer(node, at(key), problems, min, max);
    }

    Long optInteger(String key, Long fallback, long min, long max) {
        YamlNode node = node(key);
        return node == null ? fallback : integer(node, at(key), problems, min, max);
    }

    Boolean bool(String key, boolean fallback) {
        YamlNode node = node(key);
        if (node == null) {
            return fallback;
        }
        if (node instanceof YamlNode.Scalar s && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
            return s.token() == JsonToken.VALUE_TRUE;
        }
        problems.add(node.line(), at(key), "expected true or false, found " + node.describe());
        return null;
    }

    Duration duration(String key, Duration fallback, Duration min, Duration max) {
        YamlNode node = node(key);
        if (node == null) {
            if (fallback == null && valid) {
                problems.add(lineOf(key), at(key), "is required");
            }
            return fallback;
        }
        return duration(node, at(key), problems, min, max);
    }

    /** Reports every key that no reader asked for, with a suggestion when one is close. */
    void rejectUnknown() {
        if (!valid) {
            return;
        }
        for (YamlNode.Entry entry : entries.values()) {
            if (!known.contains(entry.key())) {
                problems.add(entry.line(), at(entry.key()), unknownKeyMessage(entry.key()));
            }
        }
    }

    private String unknownKeyMessage(String key) {
        String closest = known.stream()
                .min(Comparator.comparingInt(k -> distance(k, key.toLowerCase(java.util.Locale.ROOT))))
                .orElse(null);
        if (closest != null && distance(closest, key.toLowerCase(java.util.Locale.ROOT)) <= Math.max(2, key.length() / 4)) {
            return "unknown key; did you mean \"" + closest + "\"?";
        }
        return known.isEmpty() ? "unknown key" : "unknown key (known here: " + String.join(", ", known) + ")";
    }

    static String text(YamlNode node, String path, Problems problems) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            return s.text();
        }
        problems.add(node.line(), path, "expected text, found " + node.describe());
        return null;
    }

    static Long integer(YamlNode node, String path, Problems problems, long min, long max) {
        if (!(node instanceof YamlNode.Scalar s) || s.token() != JsonToken.VALUE_NUMBER_INT) {
            problems.add(node.line(), path, "expected a whole number, found " + node.describe());
            return null;
        }
        Long value = parseInteger(s.text());
        if (value == null) {
            problems.add(node.line(), path, s.text() + " is not a usable whole number");
            return null;
        }
        if (value < min || value > max) {
            problems.add(node.line(), path, "must be between " + min + " and " + max + ", not " + s.text());
            return null;
        }
        return value;
    }

    static Duration duration(YamlNode node, String path, Problems problems, Duration min, Duration max) {
        if (!(node instanceof YamlNode.Scalar s) || s.isNull()) {
            problems.add(node.line(), path, "expected a duration such as 5s, found " + node.describe());
            return null;
        }
        Duration value = Durations.parse(s.text());
        if (value == null && s.text().strip().startsWith("-") && Durations.parse(s.text().strip().substring(1)) != null) {
            problems.add(node.line(), path, "must not be negative, not " + s.text());
            return null;
        }
        if (value == null) {
            String hint = s.token() == JsonToken.VALUE_NUMBER_INT ? "a duration needs a unit: " + s.text() + "s, "
                    + s.text() + "m …" : "not a duration: write a number and a unit (ms, s, m, h, d), e.g. 5s or 10m";
            problems.add(node.line(), path, hint);
            return null;
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(node.line(), path, "must be between " + Durations.format(min) + " and " + Durations.format(max)
                    + ", not " + s.text());
            return null;
        }
        return value;
    }

    /** YAML's integer forms as Jackson reports them: decimal, {@code 0x} hex, {@code _} separators. */
    static Long parseInteger(String text) {
        String digits = text.replace("_", "").strip();
        boolean negative = digits.startsWith("-");
        if (negative || digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        try {
            long value = digits.startsWith("0x") || digits.startsWith("0X")
                    ? Long.parseLong(digits.substring(2), 16)
                    : Long.parseLong(digits);
            return negative ? -value : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
