package kontor.members;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One member as the fleet directory issues it (docs/fleet.md): the owner's id for the person, the directory
 * version of this entry, the card as its HMAC-SHA256 keyed with the fleet key (the raw card never leaves the
 * owner's machine) and its last four characters for display, and the rules a site applies.
 */
public record FleetMember(String fleetId, long version, String cardHash, String last4, Role role, boolean accessible,
                          Instant validUntil, boolean revoked) {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern LAST4 = Pattern.compile("[0-9A-F]{1,4}");

    public FleetMember {
        Objects.requireNonNull(fleetId, "fleetId");
        Objects.requireNonNull(role, "role");
        if (!HASH.matcher(cardHash).matches()) {
            throw new IllegalArgumentException("card_hash must be 64 lower-case hex digits");
        }
        if (!LAST4.matcher(last4).matches()) {
            throw new IllegalArgumentException("card_last4 must be 1 to 4 upper-case hex digits");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more");
        }
    }
}
