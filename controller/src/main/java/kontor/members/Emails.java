package kontor.members;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Members' e-mail addresses: how one is written down (trimmed, lower-case, a {@code mailto:} taken off) and how
 * it may be shown. An address is personal data: events, states and replies show it only masked, like a card.
 */
public final class Emails {
    /** Deliberately loose: one @, something on each side, no spaces; calendars are not strict either. */
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\"]{1,64}@[^@\\s<>\"]{1,189}");

    private Emails() { }

    /** The address as stored and matched, e.g. {@code Alice@Example.ORG} becomes {@code alice@example.org}. */
    public static String normalise(String raw) {
        String s = raw == null ? "" : raw.strip();
        if (s.regionMatches(true, 0, "mailto:", 0, 7)) {
            s = s.substring(7);
        }
        s = s.toLowerCase(Locale.ROOT);
        if (!ADDRESS.matcher(s).matches()) {
            throw new IllegalArgumentException("not an e-mail address (like name@example.org)");
        }
        return s;
    }

    /** {@code alice@example.org} is shown as {@code a…@example.org}: enough for a host to tell two apart. */
    public static String mask(String email) {
        if (email == null) {
            return null;
        }
        int at = email.indexOf('@');
        return at <= 0 ? "…" : email.charAt(0) + "…" + email.substring(at);
    }
}
