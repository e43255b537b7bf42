package kontor.sim.broker;

import kontor.sim.broker.BrokerUser.Role;

/** What each role may publish under a site root; subscriptions are open to every role (all of them read everything). */
record TopicRights(String siteRoot) {
    static final String HOME_ASSISTANT_STATUS = "homeassistant/status";

    TopicRights {
        if (siteRoot == null || siteRoot.isBlank()) {
            throw new IllegalArgumentException("the site root must not be blank");
        }
        if (siteRoot.startsWith("/") || siteRoot.endsWith("/") || siteRoot.startsWith("$")
                || siteRoot.contains("+") || siteRoot.contains("#") || siteRoot.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "the site root must be a plain topic like kontor/demo (no wildcards, no leading or trailing '/'): "
                            + siteRoot);
        }
    }

    String commandFilter() {
        return siteRoot + "/cmd/#";
    }

    String simulatorFilter() {
        return siteRoot + "/sim/#";
    }

    /**
     * The topic filters {@code role} may publish to, as the broker's own permissions: the one list both the
     * HiveMQ default permissions and {@link #mayPublish} follow (they once differed, and the operator could not
     * publish {@code homeassistant/status} although this class said it could).
     */
    java.util.List<String> publishFilters(Role role) {
        return switch (role) {
            case GATEWAY -> java.util.List.of("#");
            case OPERATOR -> java.util.List.of(commandFilter(), simulatorFilter(), HOME_ASSISTANT_STATUS);
            case MONITOR -> java.util.List.of();
        };
    }

    boolean mayPublish(Role role, String topic) {
        return switch (role) {
            case GATEWAY -> true;
            // Home Assistant, logged in as the operator, announces itself so the gateway re-sends discovery.
            case OPERATOR -> isAtOrBelow(topic, siteRoot + "/cmd") || isAtOrBelow(topic, siteRoot + "/sim")
                    || topic.equals(HOME_ASSISTANT_STATUS);
            case MONITOR -> false;
        };
    }

    /** MQTT's "a/#" also matches "a" itself. */
    private static boolean isAtOrBelow(String topic, String parent) {
        return topic.equals(parent) || topic.startsWith(parent + "/");
    }
}
