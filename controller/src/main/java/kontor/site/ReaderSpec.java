package kontor.site;

import kontor.device.wiring.WiegandWiring;

/**
 * A Wiegand card reader. {@code role} is null for a reader at a door, bank or machine, or
 * {@link #DESK} for the reader at the hosts' desk: a tap there only finds the member in the console.
 */
public record ReaderSpec(String id, WiegandWiring wiring, String role) implements DeviceSpec {
    public static final String KIND = "card_reader";
    /** The reader at the hosts' desk. */
    public static final String DESK = "desk";

    public ReaderSpec(String id, WiegandWiring wiring) {
        this(id, wiring, null);
    }

    public boolean desk() {
        return DESK.equals(role);
    }

    @Override
    public String kind() {
        return KIND;
    }
}
