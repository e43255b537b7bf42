package kontor.members;

import java.util.Objects;

/** What a card may do right now: it opens, or it is refused with one of the {@code card.denied} reasons. */
public sealed interface AccessCheck {
    String UNKNOWN_CARD = "unknown_card";
    String REVOKED = "revoked";
    String EXPIRED = "expired";

    record Granted(Member member) implements AccessCheck {
        public Granted {
            Objects.requireNonNull(member, "member");
        }
    }

    /** {@code member} is null when the card belongs to no one. */
    record Denied(String reason, Member member) implements AccessCheck {
        public Denied {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
