package kontor.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writes_times_as_iso_8601_with_their_offset() {
        OffsetDateTime t = OffsetDateTime.parse("2025-03-01T09:00:00+01:00");
        assertThat(new String(Json.bytes(Map.of("ts", t)), UTF_8)).isEqualTo("{\"ts\":\"2025-03-01T09:00:00+01:00\"}");
    }

    @Test
    void refuses_duplicate_keys_trailing_garbage_and_empty_input() {
        assertThatIllegalArgumentException().isThrownBy(() -> Json.tree("{\"a\":1,\"a\":2}".getBytes(UTF_8)))
                .withMessageContaining("Duplicate field 'a'");
        assertThatIllegalArgumentException().isThrownBy(() -> Json.tree("{} x".getBytes(UTF_8)));
        assertThatIllegalArgumentException().isThrownBy(() -> Json.tree(new byte[0])).withMessage("empty payload");
        assertThatIllegalArgumentException().isThrownBy(() -> Json.tree("{\"a\":".getBytes(UTF_8)))
                .withMessageContaining("line 1");
    }
}
