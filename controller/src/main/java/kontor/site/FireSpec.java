package kontor.site;

import kontor.device.wiring.InputWiring;

/** The fire-alarm panel's output, read as an input (active = fire). */
public record FireSpec(String id, InputWiring input) implements DeviceSpec {
    public static final String KIND = "fire_input";

    @Override
    public String kind() {
        return KIND;
    }
}
