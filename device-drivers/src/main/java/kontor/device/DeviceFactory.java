package kontor.device;

import java.net.URI;
import java.time.Duration;
import kontor.device.wiring.CopierWiring;
import kontor.device.wiring.CounterWiring;
import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LightWiring;
import kontor.device.wiring.LockWiring;
import kontor.device.wiring.WiegandWiring;

/**
 * Makes the devices a site file names, each reporting to its listener. The controller reaches
 * hardware only through this port: Pi4J on a Pi ({@code kontor.device.gpio.Pi4jDevices}), the same
 * drivers on a simulated board in the demo and in tests. Every output a method returns is already
 * in its safe state; {@link #close()} drives every output safe again, in the order they were made.
 */
public interface DeviceFactory extends AutoCloseable {

    CardReader cardReader(String id, WiegandWiring w, DeviceListener l);

    Lock lock(String id, LockWiring w, DeviceListener l);

    DoorContact contact(String id, InputWiring w, DeviceListener l);

    ExitButton exitButton(String id, InputWiring w, DeviceListener l);

    PresenceSensor presence(String id, InputWiring w, DeviceListener l);

    FireInput fire(String id, InputWiring w, DeviceListener l);

    /** A loan computer bay's present or charged input; {@code id} is the loan computer's. */
    BayInput bayInput(String id, BayInput.Sense sense, InputWiring w, DeviceListener l);

    PeopleCounter counter(String id, CounterWiring w, DeviceListener l);

    StatusLight light(String id, LightWiring w, DeviceListener l);

    Copier copier(String id, CopierWiring w, DeviceListener l);

    /** A network printer, asked for its state every {@code poll}; {@code ipp} may be null where the factory simulates one. */
    Printer printer(String id, URI ipp, Duration poll, DeviceListener l);

    /**
     * The engine that prints the held print queue's jobs on printer {@code id}: over IPP at {@code ipp}, or, with
     * none (the demo's simulated printer), one that prints every document at once.
     */
    default PrintEngine printEngine(String id, URI ipp) {
        return ipp == null ? PrintEngine.simulated() : new kontor.device.ipp.IppPrintEngine(ipp, Duration.ofSeconds(30));
    }

    @Override
    void close();
}
