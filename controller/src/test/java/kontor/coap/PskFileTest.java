package kontor.coap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PskFileTest {

    @Test
    void reads_one_identity_and_key_per_line_with_comments(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("psk"), """
                # battery nodes
                node-room-3   Xk8s-92jd-aa71

                display-room-1 Vq1-0oP9zz
                """);
        var keys = PskFile.read(file);
        assertThat(keys).containsOnlyKeys("node-room-3", "display-room-1");
        assertThat(new String(keys.get("node-room-3"), UTF_8)).isEqualTo("Xk8s-92jd-aa71");
    }

    @Test
    void problems_name_the_line_but_never_the_key(@TempDir Path dir) throws Exception {
        Path shortKey = Files.writeString(dir.resolve("a"), "node-1 abc\n");
        assertThatThrownBy(() -> PskFile.read(shortKey)).hasMessage(shortKey + ":1: the key of 'node-1' is shorter than 8 characters")
                .hasMessageNotContaining("abc");
        Path twice = Files.writeString(dir.resolve("b"), "node-1 abcdefgh1\nnode-1 abcdefgh2\n");
        assertThatThrownBy(() -> PskFile.read(twice)).hasMessage(twice + ":2: 'node-1' has a key already");
        Path three = Files.writeString(dir.resolve("c"), "node-1 abcdefgh1 extra\n");
        assertThatThrownBy(() -> PskFile.read(three)).hasMessage(three + ":1: expected 'identity key' (two words)");
        assertThatThrownBy(() -> PskFile.read(dir.resolve("missing"))).hasMessageStartingWith("cannot read the PSK file");
    }
}
