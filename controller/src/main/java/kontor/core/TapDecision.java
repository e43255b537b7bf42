package kontor.core;

import java.util.Map;
import java.util.Objects;

/**
 * What a door decides for a tap whose card is valid: let the member in (and what else happens), or
 * refuse with a {@code card.denied} reason such as {@code room_booked}. the card check journals the
 * decision, then carries out a grant's action.
 */
public sealed interface TapDecision {

    /** Let the member in: {@code detail} is added to {@code card.granted}; {@code action} runs after it is journaled. */
    record Grant(Map<String, Object> detail, Runnable action) implements TapDecision {
        public Grant {
            detail = Map.copyOf(detail);
            Objects.requireNonNull(action, "action");
        }
    }

    /** Refuse: {@code reason} is the {@code card.denied} reason. */
    record Deny(String reason) implements TapDecision {
        public Deny {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static TapDecision grant(Map<String, Object> detail, Runnable action) {
        return new Grant(detail, action);
    }

    static TapDecision grant(Runnable action) {
        return new Grant(Map.of(), action);
    }

    static TapDecision deny(String reason) {
        return new Deny(reason);
    }
}
