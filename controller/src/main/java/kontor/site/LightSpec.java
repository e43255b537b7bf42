package kontor.site;

import kontor.device.wiring.LightWiring;

/** A room's status light. */
public record LightSpec(String id, LightWiring wiring) implements DeviceSpec {
    public static final String KIND = "status_light";

    @Override
    public String kind() {
        return KIND;
    }
}
