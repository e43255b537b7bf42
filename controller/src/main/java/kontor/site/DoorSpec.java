package kontor.site;

import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LockWiring;

/** A door: its strike, its contact (active = open) and an optional exit button ({@code exit} may be null). */
public record DoorSpec(String id, LockWiring strike, InputWiring contact, InputWiring exit) implements DeviceSpec {
    public static final String KIND = "door";

    @Override
    public String kind() {
        return KIND;
    }

    public boolean hasExitButton() {
        return exit != null;
    }
}
