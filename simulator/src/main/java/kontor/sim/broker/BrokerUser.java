package kontor.sim.broker;

import java.util.Objects;

/** A login on the demo broker; its role decides what it may publish and subscribe. */
public record BrokerUser(String username, String password, Role role) {

    public enum Role {
        /** The gateway itself: publishes and subscribes everything, including replies to any response topic. */
        GATEWAY,
        /** A person driving the demo: reads everything, publishes only commands and simulator control. */
        OPERATOR,
        /** Read only, and only states, events, alarms, status and discovery (see {@link TopicRights}). */
        MONITOR
    }

    public BrokerUser {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("a broker user needs a non-blank username");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("broker user '" + username + "' needs a password");
        }
        Objects.requireNonNull(role, "role");
    }

    /** Never shows the password: records print every component by default. */
    @Override
    public String toString() {
        return "BrokerUser[username=" + username + ", role=" + role + "]";
    }
}
