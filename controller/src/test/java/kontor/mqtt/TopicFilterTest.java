package kontor.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.junit.jupiter.api.Test;

class TopicFilterTest {
    private static final List<String> FILTERS = List.of("#", "+", "+/+", "+/#", "a", "a/b", "a/+", "a/#", "a/+/c", "a/+/#",
            "a/b/c", "+/b/#", "a//c", "a/+/+", "kontor/demo/cmd/+", "kontor/demo/#", "kontor/+/state/#", "/a", "/+", "a/",
            "$SYS/#", "$SYS/+", "ab/#");
    private static final List<String> TOPICS = List.of("a", "a/", "/a", "/", "//", "a/b", "a/b/", "a/b/c", "a/x/c", "a/b/c/d",
            "a//c", "ab", "ab/c", "b", "b/b", "kontor/demo/cmd/gateway.info", "kontor/demo/cmd/", "kontor/demo",
            "kontor/demo/state/x/y", "kontor/other/state/z", "aa/b");

    /**
     * Paho's matcher as the reference, where it follows MQTT 5: it differs on empty levels ({@code a/+} against
     * {@code a/}) and on {@code #} standing for its parent level after a {@code +} ({@code +/#} against {@code ab}),
     * which the broker delivers and the specification's examples below pin.
     */
    @Test
    void matches_as_paho_does_where_paho_follows_the_specification() {
        int compared = 0;
        for (String filter : FILTERS) {
            TopicFilter ours = TopicFilter.of(filter);
            for (String topic : TOPICS) {
                boolean emptyLevel = List.of(topic.split("/", -1)).contains("");
                boolean hashAsParent = filter.endsWith("/#") && filter.contains("+")
                        && topic.split("/", -1).length == filter.split("/", -1).length - 1;
                if (emptyLevel || hashAsParent) {
                    continue;
                }
                assertThat(ours.matches(topic)).as("%s against %s", filter, topic)
                        .isEqualTo(MqttTopicValidator.isMatched(filter, topic));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(300);
    }

    /** The non-normative examples of MQTT 5, section 4.7. */
    @Test
    void the_specifications_examples_hold() {
        TopicFilter sportTennisAll = TopicFilter.of("sport/tennis/player1/#");
        assertThat(sportTennisAll.matches("sport/tennis/player1")).isTrue();
        assertThat(sportTennisAll.matches("sport/tennis/player1/ranking")).isTrue();
        assertThat(sportTennisAll.matches("sport/tennis/player1/score/wimbledon")).isTrue();
        assertThat(TopicFilter.of("sport/#").matches("sport")).isTrue();
        TopicFilter onePlayer = TopicFilter.of("sport/tennis/+");
        assertThat(onePlayer.matches("sport/tennis/player1")).isTrue();
        assertThat(onePlayer.matches("sport/tennis/player2")).isTrue();
        assertThat(onePlayer.matches("sport/tennis/player1/ranking")).isFalse();
        assertThat(TopicFilter.of("sport/+").matches("sport")).isFalse();
        assertThat(TopicFilter.of("sport/+").matches("sport/")).isTrue();
        assertThat(TopicFilter.of("+/+").matches("/finance")).isTrue();
        assertThat(TopicFilter.of("/+").matches("/finance")).isTrue();
        assertThat(TopicFilter.of("+").matches("/finance")).isFalse();
        assertThat(TopicFilter.of("+/tennis/#").matches("sport/tennis")).isTrue();
        assertThat(TopicFilter.of("a/bb").matches("a/b")).isFalse();
        assertThat(TopicFilter.of("a/b").matches("a/bb")).isFalse();
    }

    @Test
    void a_wildcard_first_does_not_match_a_dollar_topic() {
        assertThat(TopicFilter.of("#").matches("$SYS/monitor/Clients")).isFalse();
        assertThat(TopicFilter.of("+/monitor/Clients").matches("$SYS/monitor/Clients")).isFalse();
        assertThat(TopicFilter.of("$SYS/#").matches("$SYS/monitor/Clients")).isTrue();
        assertThat(TopicFilter.of("$SYS/monitor/+").matches("$SYS/monitor/Clients")).isTrue();
    }

    @Test
    void an_invalid_filter_is_refused() {
        assertThatThrownBy(() -> TopicFilter.of("a/#/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicFilter.of("a+")).isInstanceOf(IllegalArgumentException.class);
    }
}
