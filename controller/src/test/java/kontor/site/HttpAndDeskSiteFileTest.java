package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The site file's {@code http} section and the desk reader's {@code role}. */
class HttpAndDeskSiteFileTest {

    @Test
    void an_http_section_names_the_certificate_and_key_and_defaults_to_all_addresses_on_8443() {
        Site site = SiteFiles.demo("""
                http:
                  cert_file: /etc/kontor/http/server.pem
                  key_file: /etc/kontor/http/server.key
                """);
        assertThat(site.http()).isEqualTo(new HttpSpec("0.0.0.0", 8443, Path.of("/etc/kontor/http/server.pem"),
                Path.of("/etc/kontor/http/server.key")));
        assertThat(SiteFiles.demo().http()).isNull();
    }

    @Test
    void an_http_section_without_a_key_or_with_a_host_name_to_bind_is_refused() {
        IllegalStateException e = catchThrowableOfType(IllegalStateException.class, () -> SiteFiles.demo("""
                http:
                  cert_file: server.pem
                  bind: kontor.local
                  port: 70000
                """));
        assertThat(e.getMessage()).contains("http.key_file").contains("http.bind").contains("http.port");
    }

    @Test
    void a_reader_role_other_than_desk_is_refused() throws Exception {
        String demo;
        try (var in = getClass().getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            demo = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String front = demo.replace("role: desk", "role: front");
        SiteFileException e = catchThrowableOfType(SiteFileException.class, () -> SiteFiles.parse("t.yaml", front));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("role").contains("desk");
    }
}
