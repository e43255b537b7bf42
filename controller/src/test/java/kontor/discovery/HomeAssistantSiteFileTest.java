package kontor.discovery;

import static kontor.discovery.HomeAssistantEntitiesTest.demoWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kontor.site.HomeAssistantSpec;
import kontor.site.Problem;
import kontor.site.SiteFileException;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.Test;

/** The site file's {@code home_assistant:} section. */
class HomeAssistantSiteFileTest {

    @Test
    void without_the_section_discovery_is_on_and_read_only() {
        assertThat(SiteFiles.demo().homeAssistant()).isEqualTo(new HomeAssistantSpec(true, false));
        assertThat(SiteFiles.demo().discoveryPrefix()).isEqualTo("homeassistant");
    }

    @Test
    void control_is_allowed_only_when_the_file_says_so() throws Exception {
        assertThat(demoWith("home_assistant: {allow_control: true}").homeAssistant().allowControl()).isTrue();
        assertThat(demoWith("home_assistant: {allow_control: false}").homeAssistant().allowControl()).isFalse();
        assertThat(demoWith("home_assistant:").homeAssistant()).isEqualTo(HomeAssistantSpec.DEFAULTS);
        assertThat(demoWith("home_assistant: {discovery: false}").homeAssistant().discovery()).isFalse();
    }

    @Test
    void the_skeleton_documents_the_section_with_its_defaults() throws Exception {
        String skeleton = SiteFiles.skeleton("my-site");
        assertThat(skeleton).contains("\nhome_assistant:\n  discovery: true", "\n  allow_control: false");
        assertThat(SiteFiles.parse("skeleton.yaml", skeleton).homeAssistant()).isEqualTo(HomeAssistantSpec.DEFAULTS);
    }

    @Test
    void a_wrong_value_is_reported_with_its_line_and_path() {
        assertThatThrownBy(() -> demoWith("home_assistant:\n  allow_control: yes please"))
                .isInstanceOf(SiteFileException.class)
                .satisfies(e -> assertThat(((SiteFileException) e).problems()).singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("home_assistant.allow_control");
                    assertThat(p.message()).contains("expected true or false");
                }));
        assertThatThrownBy(() -> demoWith("home_assistant: {allow_controls: true}"))
                .isInstanceOf(SiteFileException.class)
                .satisfies(e -> assertThat(((SiteFileException) e).problems()).extracting(Problem::message)
                        .singleElement().asString().contains("did you mean \"allow_control\""));
        assertThatThrownBy(() -> demoWith("home_assistant: true"))
                .isInstanceOf(SiteFileException.class)
                .satisfies(e -> assertThat(((SiteFileException) e).problems()).extracting(Problem::path)
                        .containsExactly("home_assistant"));
    }

    @Test
    void control_without_discovery_is_refused() {
        assertThatThrownBy(() -> demoWith("home_assistant: {discovery: false, allow_control: true}"))
                .isInstanceOf(SiteFileException.class)
                .satisfies(e -> assertThat(((SiteFileException) e).problems()).singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("home_assistant.allow_control");
                    assertThat(p.message()).contains("needs discovery: true");
                }));
    }
}
