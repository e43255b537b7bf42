package kontor.site;

import java.util.Optional;

/** One device of the site as the site file declares it: its id, its kind and how it is wired. */
public sealed interface DeviceSpec
        permits ReaderSpec, DoorSpec, LockerSpec, PresenceSpec, LightSpec, CounterSpec, CopierSpec, PrinterSpec,
        FireSpec, ContactSpec, LoanComputerSpec {

    String id();

    /** The kind exactly as written in the site file, e.g. {@code card_reader}. */
    String kind();

    /** Where the device's reports come from when it is a field device (MQTT or CoAP), not wired. */
    default Optional<FieldSource> fieldSource() {
        return Optional.empty();
    }
}
