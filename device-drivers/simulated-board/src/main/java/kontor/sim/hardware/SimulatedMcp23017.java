package kontor.sim.hardware;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An MCP23017 as a register file (bank 0): direction, pull-ups and output latch as written, GPIO
 * reads that show the latch on outputs and the simulated lines on inputs. An undriven input reads
 * its pull-up. While failing, every transfer throws, as a chip that does not acknowledge.
 */
final class SimulatedMcp23017 {
    static final int IODIRA = 0x00;
    static final int GPPUA = 0x0C;
    static final int GPIOA = 0x12;
    static final int OLATA = 0x14;
    private static final int REGISTERS = 0x16;

    private final String name;
    private final int[] registers = new int[REGISTERS];
    private int drivenMask;
    private int drivenLevels;
    private volatile boolean failing;
    private final Boolean[] lastOutput = new Boolean[16];
    private final Map<Integer, List<Consumer<Boolean>>> watchers = new ConcurrentHashMap<>();

    SimulatedMcp23017(String name) {
        this.name = name;
        registers[IODIRA] = 0xFF;
        registers[IODIRA + 1] = 0xFF;
    }

    void failing(boolean failing) {
        this.failing = failing;
    }

    int read(int register) {
        synchronized (this) {
            check(register);
            if (register == GPIOA || register == GPIOA + 1) {
                int bank = register - GPIOA;
                int inputs = registers[IODIRA + bank];
                int lines = (lineLevels() >> (8 * bank)) & 0xFF;
                return (inputs & lines | ~inputs & registers[OLATA + bank]) & 0xFF;
            }
            return registers[register];
        }
    }

    void write(int register, int value) {
        List<Runnable> news;
        synchronized (this) {
            check(register);
            int target = register == GPIOA || register == GPIOA + 1 ? register + (OLATA - GPIOA) : register;
            registers[target] = value & 0xFF;
            news = outputChanges();
        }
        news.forEach(Runnable::run);
    }

    /** Sets the level of an external line (true = HIGH); shows only where the pin is an input. */
    void driveLine(int pin, boolean high) {
        synchronized (this) {
            drivenMask |= 1 << pin;
            drivenLevels = high ? drivenLevels | 1 << pin : drivenLevels & ~(1 << pin);
        }
    }

    /** The level the chip drives on {@code pin}, or null if the pin is an input. */
    synchronized Boolean outputLevel(int pin) {
        int dir = registers[IODIRA] | registers[IODIRA + 1] << 8;
        if ((dir & 1 << pin) != 0) {
            return null;
        }
        int latch = registers[OLATA] | registers[OLATA + 1] << 8;
        return (latch & 1 << pin) != 0;
    }

    /** Calls {@code onLevel} whenever the level the chip drives on {@code pin} changes. */
    void watch(int pin, Consumer<Boolean> onLevel) {
        watchers.computeIfAbsent(pin, p -> new CopyOnWriteArrayList<>()).add(onLevel);
    }

    private int lineLevels() {
        int pullUps = registers[GPPUA] | registers[GPPUA + 1] << 8;
        return drivenMask & drivenLevels | ~drivenMask & pullUps;
    }

    private List<Runnable> outputChanges() {
        List<Runnable> news = new ArrayList<>();
        for (int pin = 0; pin < 16; pin++) {
            Boolean now = outputLevel(pin);
            if (now != null && !now.equals(lastOutput[pin])) {
                List<Consumer<Boolean>> list = watchers.getOrDefault(pin, List.of());
                boolean level = now;
                list.forEach(w -> news.add(() -> w.accept(level)));
            }
            lastOutput[pin] = now;
        }
        return news;
    }

    private void check(int register) {
        if (failing) {
            throw new com.pi4j.io.exception.IOException(name + ": no acknowledge");
        }
        if (register < 0 || register >= REGISTERS) {
            throw new com.pi4j.io.exception.IOException(name + ": no register 0x" + Integer.toHexString(register));
        }
    }
}
