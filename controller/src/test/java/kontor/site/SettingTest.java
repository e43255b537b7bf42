package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import kontor.coap.CoapSettings;
import org.junit.jupiter.api.Test;

class SettingTest {

    @Test
    void a_definition_knows_its_section_name_default_and_range() {
        Setting<Duration> strike = SiteSettings.STRIKE_TIME;
        assertThat(strike.section()).isEqualTo("policy");
        assertThat(strike.name()).isEqualTo("strike_time");
        assertThat(strike.defaultValue()).isEqualTo(Duration.ofSeconds(5));
        assertThat(strike.min()).isEqualTo(Duration.ofSeconds(1));
        assertThat(strike.range()).isEqualTo("1s..2m");
        assertThat(SiteSettings.LOCKOUT.max()).isEqualTo(Duration.ofHours(24));
        assertThat(SiteSettings.MQTT_URL.required()).isTrue();
        assertThat(SiteSettings.MQTT_URL.shownDefault()).isEqualTo(Setting.REQUIRED);
    }

    @Test
    void a_policy_is_read_by_its_definitions() throws Exception {
        Policy policy = SiteFiles.parse("s.yaml", SiteFiles.skeleton("s")
                .replace("  strike_time: 5s ", "  strike_time: 7s ")).policy();
        assertThat(policy.get(SiteSettings.STRIKE_TIME)).isEqualTo(Duration.ofSeconds(7)).isEqualTo(policy.strikeTime());
        assertThat(policy.get(SiteSettings.JOURNAL_MAX_EVENTS)).isEqualTo(2_000_000L);
        assertThat(policy).isNotEqualTo(Policy.defaults());
        assertThat(Policy.defaults().toString()).contains("strike_time=5s", "credit_limit=0");
        assertThatIllegalArgumentException().isThrownBy(() -> policy.get(SiteSettings.COAP_PORT))
                .withMessageContaining("coap.port is not a policy setting");
    }

    @Test
    void a_default_outside_its_range_or_a_bad_key_is_refused_when_defined() {
        assertThatIllegalArgumentException().isThrownBy(() -> Setting.integer("policy.x", 0, 1, 10, "x"))
                .withMessageContaining("outside 1..10");
        assertThatIllegalArgumentException().isThrownBy(() -> Setting.duration("policy.x", "5 s", "1s", "1m", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> Setting.flag("strike_time", true, "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> Setting.flag("policy.x", true, " "));
    }

    @Test
    void every_key_is_defined_once_and_the_coap_server_shares_the_site_files_port() {
        Set<String> keys = new HashSet<>();
        SiteSettings.ALL.forEach(s -> assertThat(keys.add(s.key())).as(s.key()).isTrue());
        assertThat(CoapSettings.DEFAULT_DTLS_PORT).isEqualTo(SiteSettings.COAP_PORT.defaultValue()).isEqualTo(5684);
        assertThat(HomeAssistantSpec.DEFAULTS).isEqualTo(new HomeAssistantSpec(true, false));
    }
}
