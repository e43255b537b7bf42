package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SkeletonTest {

    @Test
    void the_skeleton_is_a_valid_site_with_every_device_kind() throws Exception {
        Site site = SiteFiles.parse("skeleton.yaml", SiteFiles.skeleton("my-site"));
        assertThat(site.devices()).extracting(DeviceSpec::kind).contains("card_reader", "door", "locker",
                "presence_sensor", "status_light", "people_counter", "copier", "printer", "fire_input");
        assertThat(site.mqtt()).isNotNull();
        assertThat(site.hours().exceptions()).hasSize(2);
    }

    @Test
    void the_skeleton_documents_every_policy_rule_with_its_default() throws Exception {
        String skeleton = SiteFiles.skeleton("my-site");
        for (Setting<?> setting : SiteSettings.POLICY) {
            assertThat(skeleton).contains("\n  " + setting.name() + ": ");
        }
        assertThat(SiteFiles.parse("skeleton.yaml", skeleton).policy()).isEqualTo(Policy.defaults());
    }

    @Test
    void the_skeleton_takes_the_site_id_it_is_made_for() throws Exception {
        assertThat(SiteFiles.parse("s.yaml", SiteFiles.skeleton("malmo-1")).id()).isEqualTo("malmo-1");
        assertThatThrownBy(() -> SiteFiles.skeleton("Malmö 1")).isInstanceOf(IllegalArgumentException.class);
    }
}
