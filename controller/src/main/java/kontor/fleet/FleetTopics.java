package kontor.fleet;

import java.util.Objects;
import kontor.site.FleetSpec;

/**
 * Where the fleet lives on the cluster, beside the sites' own subtrees under the same root: the directory
 * ({@code {root}/fleet/directory/{member}}, retained, one message per fleet member) and its latest version
 * ({@code {root}/fleet/version}, retained), written only by the owner; and what each site reports
 * ({@code {root}/{site}/fleet/applied}, retained), written only by that site's gateway.
 */
public record FleetTopics(String root) {
    private static final String LEVEL = FleetSpec.TOPIC_LEVEL;

    public FleetTopics {
        Objects.requireNonNull(root, "root");
    }

    public String directory() {
        return root + "/" + LEVEL + "/directory/+";
    }

    public String entry(String fleetMember) {
        return root + "/" + LEVEL + "/directory/" + fleetMember;
    }

    public String version() {
        return root + "/" + LEVEL + "/version";
    }

    public String applied(String site) {
        return root + "/" + site + "/" + LEVEL + "/applied";
    }

    /** Every site's report, for the owner's {@code kontor fleet status}. */
    public String everyApplied() {
        return root + "/+/" + LEVEL + "/applied";
    }

    /** The fleet member a directory topic is about; null for any other topic. */
    public String memberOf(String topic) {
        String prefix = root + "/" + LEVEL + "/directory/";
        if (!topic.startsWith(prefix) || topic.indexOf('/', prefix.length()) >= 0) {
            return null;
        }
        return topic.substring(prefix.length());
    }
}
