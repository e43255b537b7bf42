package kontor.site;

import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LockWiring;

/** A locker of a bank: its number on the bank, its type, its lock and an optional door contact ({@code contact} may be null). */
public record LockerSpec(String id, String bank, int number, LockerType type, LockWiring lock, InputWiring contact)
        implements DeviceSpec {
    public static final String KIND = "locker";

    @Override
    public String kind() {
        return KIND;
    }

    public boolean hasContact() {
        return contact != null;
    }
}
