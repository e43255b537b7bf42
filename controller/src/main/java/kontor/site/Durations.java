package kontor.site;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The site file's way of writing a duration: a number and a unit, e.g. {@code 500ms}, {@code 5s}, {@code 1h30m}. */
final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() { }

    /** The duration, or null if the text is not one. */
    static Duration parse(String text) {
        String compact = text.strip();
        if (!WHOLE.matcher(compact).matches()) {
            return null;
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(compact);
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return total;
    }

    /** The shortest way to write it back, e.g. {@code 90d}, {@code 2m}, {@code 1500ms}. */
    static String format(Duration duration) {
        long ms = duration.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms != 0 && ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms == 0 ? "0s" : ms + "ms";
    }
}
