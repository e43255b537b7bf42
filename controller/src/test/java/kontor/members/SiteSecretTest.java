package kontor.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteSecretTest {
    @TempDir
    Path dir;

    @Test
    void is_created_once_with_mode_600_and_reused_on_the_next_start() throws IOException {
        Path file = dir.resolve("etc/site.secret");
        SiteSecret first = SiteSecret.loadOrCreate(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(SiteSecret.loadOrCreate(file).bytes()).isEqualTo(first.bytes());
        assertThat(first.toString()).doesNotContain(new String(first.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void two_sites_get_different_secrets() {
        assertThat(SiteSecret.loadOrCreate(dir.resolve("a")).bytes()).isNotEqualTo(SiteSecret.loadOrCreate(dir.resolve("b")).bytes());
    }

    @Test
    void refuses_a_secret_others_can_read() throws IOException {
        Path file = dir.resolve("site.secret");
        SiteSecret.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> SiteSecret.loadOrCreate(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("readable by its owner only")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void refuses_a_secret_of_the_wrong_size() throws IOException {
        Path file = dir.resolve("site.secret");
        Files.write(file, new byte[16]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> SiteSecret.loadOrCreate(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be 32 bytes, but is 16");
        assertThat(Files.size(file)).as("left as it was").isEqualTo(16);
    }
}
