package kontor.device;

import java.util.Locale;

/** How a raw card identifier is normalised and shown. The one place that decides both. */
public final class Cards {
    private Cards() { }

    /** The lengths, in hex digits, of what a reader reports: a Wiegand 26, 34 or 58-bit frame's 24, 32 or 56 data bits. */
    public static final java.util.Set<Integer> LENGTHS = java.util.Set.of(6, 8, 14);

    /**
     * The canonical form of what a reader reports: hex digits only, upper case, and exactly as many as a reader
     * produces ({@link #LENGTHS}). Separators (space, colon, dash) are dropped. Leading zeros count: {@code 00A1B2}
     * is a 26-bit card, {@code 0000A1B2} a 34-bit one. Every way a card comes in (a tap, a command, the card
     * import) goes through here, so one card cannot become two members by being written two ways.
     *
     * @throws IllegalArgumentException if anything but hex digits and separators remains, or not 6, 8 or 14 digits
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
        if (!LENGTHS.contains(out.length())) {
            throw new IllegalArgumentException("card must have 6, 8 or 14 hexadecimal digits (what a Wiegand 26, 34"
                    + " or 58-bit reader reports), not " + out.length());
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
