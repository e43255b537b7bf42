package kontor.members;

import java.time.Instant;
import java.util.Objects;

/**
 * A member, known only by a pseudonymous {@code id} that is random and never derived from a card.
 * {@code validUntil} (null: no end) is the first instant at which the member's cards no longer open anything.
 */
public record Member(String id, Role role, boolean accessible, Instant validUntil, boolean revoked, Instant enrolled) {

    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(enrolled, "enrolled");
    }

    public boolean expiredAt(Instant now) {
        return validUntil != null && !now.isBefore(validUntil);
    }
}
