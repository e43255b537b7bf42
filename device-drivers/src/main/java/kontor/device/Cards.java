package kontor.device;

import java.util.Locale;

/** How a raw card identifier is normalised and shown. The one place that decides both. */
public final class Cards {
    private Cards() { }

    /**
     * The canonical form of what a reader reports: hex digits only, upper case.
     * Separators (space, colon, dash) are dropped.
     *
     * @throws IllegalArgumentException if anything but hex digits and separators remains, or nothing does
     */
    public static String normalise(String raw) {
        if (raw == null) {
            throw new IllegalArgumentException("card is missing");
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == ' ' || c == ':' || c == '-') {
                continue;
            }
            if (Character.digit(c, 16) < 0) {
                throw new IllegalArgumentException("card must be hexadecimal digits");
            }
            out.append(Character.toUpperCase(c));
        }
        if (out.isEmpty() || out.length() > 64) {
            throw new IllegalArgumentException("card must have 1 to 64 hexadecimal digits");
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }

    /** A card as logs and events may show it: an ellipsis and at most its last four characters. */
    public static String mask(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "…";
        }
        String s = raw.strip();
        return "…" + s.substring(Math.max(0, s.length() - 4));
    }
}
