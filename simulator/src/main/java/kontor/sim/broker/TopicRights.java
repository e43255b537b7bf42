package kontor.sim.broker;

import java.util.List;
import kontor.core.Topics;
import kontor.sim.broker.BrokerUser.Role;

/**
 * What each role may publish and read under a site root: the one place both the HiveMQ default permissions and the
 * interceptors ({@link PublishGuard}, {@link DeliveryGuard}) follow (they once differed, and the operator could not
 * publish {@code homeassistant/status} although this class said it could). The rights are those of the generated
 * Mosquitto ACL (docs/security.md), so that the demo teaches what production enforces.
 */
record TopicRights(String siteRoot) {
    static final String DISCOVERY_PREFIX = "homeassistant";
    static final String HOME_ASSISTANT_STATUS = DISCOVERY_PREFIX + "/status";

    /** A publish right: a topic filter, and whether a retained message may go there. */
    record Grant(String filter, boolean retain) { }

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
     * The topic filters {@code role} may publish to, as the broker's own permissions. Commands and simulator input
     * are never retained: a retained {@code sim/fire} would raise the fire alarm again on every reconnect.
     */
    List<Grant> publishGrants(Role role) {
        return switch (role) {
            case GATEWAY -> List.of(new Grant("#", true));
            // Home Assistant, logged in as the operator, announces itself so the gateway re-sends discovery.
            case OPERATOR -> List.of(new Grant(commandFilter(), false), new Grant(simulatorFilter(), false),
                    new Grant(HOME_ASSISTANT_STATUS, true));
            case MONITOR -> List.of();
        };
    }

    boolean mayPublish(Role role, String topic, boolean retained) {
        return publishGrants(role).stream().anyMatch(g -> Topics.matches(g.filter(), topic) && (g.retain() || !retained));
    }

    /** The topic filters {@code role} may read: a monitor only states, events, alarms, status and discovery. */
    List<String> readFilters(Role role) {
        return switch (role) {
            case GATEWAY, OPERATOR -> List.of("#");
            case MONITOR -> {
                List<String> reads = new java.util.ArrayList<>(new Topics(siteRoot).monitorReads());
                reads.add(DISCOVERY_PREFIX + "/#");
                yield List.copyOf(reads);
            }
        };
    }

    boolean mayRead(Role role, String topic) {
        return readFilters(role).stream().anyMatch(f -> Topics.matches(f, topic));
    }
}
