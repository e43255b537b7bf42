package kontor.sim.hardware;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputConfig;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfig;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProviderImpl;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProviderImpl;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pi's header lines on Pi4J's mock providers, with what the mock lacks: a line driven before
 * its input exists keeps its level, an undriven input reads its pull resistor (the mock reads LOW
 * whatever the pull), and outputs can be watched by pin number.
 */
final class SimulatedGpio {
    private static final Logger log = LoggerFactory.getLogger(SimulatedGpio.class);

    private final Map<Integer, MockDigitalInput> inputs = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> drivenHigh;
    private final Map<Integer, DigitalOutput> outputs = new ConcurrentHashMap<>();
    private final Map<Integer, List<Consumer<Boolean>>> watchers = new ConcurrentHashMap<>();

    SimulatedGpio() {
        this(new ConcurrentHashMap<>());
    }

    private SimulatedGpio(Map<Integer, Boolean> drivenHigh) {
        this.drivenHigh = drivenHigh;
    }

    /** The same wires for another process's Pi4J context: input levels stay as driven; outputs are that process's own. */
    SimulatedGpio afterKill() {
        return new SimulatedGpio(drivenHigh);
    }

    final MockDigitalInputProviderImpl inputProvider = new MockDigitalInputProviderImpl() {
        @Override
        public DigitalInput create(DigitalInputConfig config) {
            DigitalInput input = super.create(config);
            if (input instanceof MockDigitalInput mock) {
                inputCreated(config.address(), config.pull(), mock);
            }
            return input;
        }
    };

    final MockDigitalOutputProviderImpl outputProvider = new MockDigitalOutputProviderImpl() {
        @Override
        public DigitalOutput create(DigitalOutputConfig config) {
            DigitalOutput output = super.create(config);
            outputCreated(config.address(), output);
            return output;
        }
    };

    private void inputCreated(int bcm, PullResistance pull, MockDigitalInput input) {
        inputs.put(bcm, input);
        boolean high = drivenHigh.getOrDefault(bcm, pull == PullResistance.PULL_UP);
        synchronized (input) {
            input.mockState(DigitalState.getState(high));
        }
    }

    private void outputCreated(int bcm, DigitalOutput output) {
        outputs.put(bcm, output);
        output.addListener(event -> notifyWatchers(bcm, event.state().isHigh()));
        DigitalState initial = output.state();
        if (initial == DigitalState.HIGH || initial == DigitalState.LOW) {
            notifyWatchers(bcm, initial.isHigh());
        }
    }

    void drive(int bcm, boolean high) {
        drivenHigh.put(bcm, high);
        MockDigitalInput input = inputs.get(bcm);
        if (input != null) {
            synchronized (input) {
                input.mockState(DigitalState.getState(high));
            }
        }
    }

    /** The level an output drives, or null if no output was ever made on the pin. */
    Boolean outputLevel(int bcm) {
        DigitalOutput output = outputs.get(bcm);
        if (output == null) {
            return null;
        }
        DigitalState state = output.state();
        return state == DigitalState.HIGH ? Boolean.TRUE : state == DigitalState.LOW ? Boolean.FALSE : null;
    }

    void watch(int bcm, Consumer<Boolean> onLevel) {
        watchers.computeIfAbsent(bcm, p -> new CopyOnWriteArrayList<>()).add(onLevel);
    }

    private void notifyWatchers(int bcm, boolean high) {
        for (Consumer<Boolean> w : watchers.getOrDefault(bcm, List.of())) {
            try {
                w.accept(high);
            } catch (RuntimeException e) {
                log.error("A watcher of GPIO{} failed", bcm, e);
            }
        }
    }
}
