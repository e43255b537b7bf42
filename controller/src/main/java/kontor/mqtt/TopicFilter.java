package kontor.mqtt;

import java.util.Objects;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/**
 * An MQTT topic filter, split into its levels once, that matches topics without allocating.
 *
 * <p>Why not Paho's {@code MqttTopicValidator.isMatched}: it validates the filter again on every call. At
 * connect the broker sends every retained message under the gateway's subscriptions (some 8,000 on a
 * 2,000-device site), each matched against every subscription: Paho's matching was most of the MQTT thread's
 * time while the gateway started (docs/benchmarks.md, footprint). The rules are MQTT 5's (4.7): {@code +} is
 * exactly one level, possibly empty; {@code #} is the parent level and any below it; a filter that starts with
 * a wildcard does not match a topic that starts with {@code $}.
 */
public final class TopicFilter {
    private final String filter;
    private final String[] levels;
    private final boolean multiLevel;

    private TopicFilter(String filter) {
        this.filter = filter;
        String[] split = filter.split("/", -1);
        this.multiLevel = split[split.length - 1].equals("#");
        this.levels = multiLevel ? java.util.Arrays.copyOf(split, split.length - 1) : split;
    }

    /**
     * @throws IllegalArgumentException when {@code filter} is not a valid MQTT topic filter
     */
    public static TopicFilter of(String filter) {
        Objects.requireNonNull(filter, "filter");
        MqttTopicValidator.validate(filter, true, true);
        return new TopicFilter(filter);
    }

    /** Whether a message published to {@code topic} is one this filter subscribes to. */
    public boolean matches(String topic) {
        if (topic.isEmpty()) {
            return false;
        }
        if (topic.charAt(0) == '$' && (levels.length == 0 || isWildcard(levels[0]))) {
            return false;
        }
        int start = 0;
        for (String level : levels) {
            if (start > topic.length()) {
                return false; // the topic has fewer levels than the filter
            }
            int end = topic.indexOf('/', start);
            if (end < 0) {
                end = topic.length();
            }
            boolean same = level.length() == end - start && topic.regionMatches(start, level, 0, level.length());
            if (!same && !level.equals("+")) {
                return false;
            }
            start = end + 1;
        }
        // Every level of the filter matched; "a/#" also matches "a" itself, "a/+" or "a/b" only when nothing is left.
        return multiLevel || start == topic.length() + 1;
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }

    @Override
    public String toString() {
        return filter;
    }
}
