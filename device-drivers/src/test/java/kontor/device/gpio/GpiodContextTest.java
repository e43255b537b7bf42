package kontor.device.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import com.pi4j.io.IOType;
import org.junit.jupiter.api.Test;

class GpiodContextTest {

    @Test
    void the_production_context_uses_gpiod_and_linuxfs_even_with_the_mock_plugin_on_the_classpath() {
        Context pi4j = Pi4jDevices.gpiodContext();
        try {
            assertThat(pi4j.provider(IOType.DIGITAL_OUTPUT).id()).isEqualTo("gpiod-digital-output");
            assertThat(pi4j.provider(IOType.DIGITAL_INPUT).id()).isEqualTo("gpiod-digital-input");
            assertThat(pi4j.provider(IOType.I2C).id()).isEqualTo("linuxfs-i2c");
            assertThat(pi4j.providers().all().keySet()).noneMatch(id -> id.contains("mock"));
        } finally {
            pi4j.shutdown();
        }
    }
}
