package kontor.console;

import java.util.Locale;

/** What a console account may do: look ({@code monitor}), run the desk ({@code host}), and manage accounts ({@code admin}). */
public enum Role {
    MONITOR, HOST, ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("the role must be monitor, host or admin, not '" + name + "'");
    }

    /** Whether this role may do what {@code needed} may. */
    public boolean atLeast(Role needed) {
        return ordinal() >= needed.ordinal();
    }
}
