package kontor.site;

import kontor.device.wiring.WiegandWiring;

/** A Wiegand card reader. */
public record ReaderSpec(String id, WiegandWiring wiring) implements DeviceSpec {
    public static final String KIND = "card_reader";

    @Override
    public String kind() {
        return KIND;
    }
}
