package kontor.device.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kontor.device.Health;
import org.junit.jupiter.api.Test;

class Mcp23017Test {
    private static final long MS = 1_000_000L;

    /** A register file that records writes and can stop answering. */
    static final class FakeRegisters implements RegisterBus {
        final int[] regs = new int[0x16];
        final List<String> writes = new ArrayList<>();
        int inputLevels;
        boolean failing;

        FakeRegisters() {
            regs[0x00] = 0xFF;
            regs[0x01] = 0xFF;
        }

        @Override
        public int read(int register) {
            if (failing) {
                throw new IllegalStateException("NAK");
            }
            if (register == Mcp23017.GPIOA || register == Mcp23017.GPIOB) {
                int bank = register - Mcp23017.GPIOA;
                int dir = regs[bank];
                int lat = regs[Mcp23017.OLATA + bank];
                int in = (inputLevels >> (8 * bank)) & 0xFF;
                return (dir & in) | (~dir & lat) & 0xFF;
            }
            return regs[register];
        }

        @Override
        public void write(int register, int value) {
            if (failing) {
                throw new IllegalStateException("NAK");
            }
            regs[register] = value;
            writes.add(String.format("%02X=%02X", register, value));
        }

        void powerCycle() {
            java.util.Arrays.fill(regs, 0);
            regs[0x00] = 0xFF;
            regs[0x01] = 0xFF;
        }
    }

    private final FakeRegisters registers = new FakeRegisters();

    @Test
    void an_output_gets_its_level_latched_before_it_becomes_an_output() {
        Mcp23017 chip = new Mcp23017("chip", registers);
        chip.configureOutput(9, true);

        assertThat(registers.writes).containsExactly("15=02", "01=FD");
    }

    @Test
    void pins_configured_by_a_previous_run_keep_their_latch() {
        registers.regs[Mcp23017.IODIRA] = 0x00;
        registers.regs[Mcp23017.OLATA] = 0xFF;  // active-low relays held off by the last run
        Mcp23017 chip = new Mcp23017("chip", registers);

        chip.configureOutput(0, true);
        chip.write(0, false);

        assertThat(registers.regs[Mcp23017.OLATA]).isEqualTo(0xFE);
    }

    @Test
    void an_input_change_is_reported_only_once_it_has_lasted_the_debounce_time() {
        Mcp23017 chip = new Mcp23017("chip", registers);
        List<Boolean> seen = new ArrayList<>();
        registers.inputLevels = 0xFFFF;
        chip.configureInput(3, true, 10 * MS, true, seen::add);
        chip.poll(0);
        assertThat(seen).isEmpty();

        registers.inputLevels = ~(1 << 3);
        chip.poll(100 * MS);
        chip.poll(105 * MS);
        assertThat(seen).isEmpty();
        chip.poll(110 * MS);
        assertThat(seen).containsExactly(false);
        assertThat(chip.level(3)).isFalse();
    }

    @Test
    void a_bounce_shorter_than_the_debounce_time_is_not_reported() {
        Mcp23017 chip = new Mcp23017("chip", registers);
        List<Boolean> seen = new ArrayList<>();
        registers.inputLevels = 0xFFFF;
        chip.configureInput(3, true, 10 * MS, true, seen::add);

        registers.inputLevels = ~(1 << 3);
        chip.poll(100 * MS);
        registers.inputLevels = 0xFFFF;
        chip.poll(105 * MS);
        chip.poll(200 * MS);

        assertThat(seen).isEmpty();
    }

    @Test
    void a_chip_that_stops_answering_goes_offline_and_is_configured_again_when_it_answers() {
        Mcp23017 chip = new Mcp23017("mcp23017@1:0x20", registers);
        List<Health> health = new ArrayList<>();
        chip.addHealthListener(health::add);
        chip.configureOutput(2, true);

        registers.failing = true;
        chip.poll(0);
        chip.poll(20 * MS);
        assertThat(health).singleElement().satisfies(h -> {
            assertThat(h.isOnline()).isFalse();
            assertThat(h.detail()).contains("mcp23017@1:0x20");
        });

        chip.write(5, true);  // commanded while the chip is away
        registers.powerCycle();
        registers.failing = false;
        chip.poll(40 * MS);

        assertThat(health).last().isEqualTo(Health.ONLINE);
        assertThat(registers.regs[Mcp23017.OLATA]).isEqualTo(0b0010_0100);
        assertThat(registers.regs[Mcp23017.IODIRA]).isEqualTo(0xFF & ~0b0000_0100);
    }
}
