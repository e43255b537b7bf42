package kontor.site;

import kontor.device.wiring.CounterWiring;

/** A directional people counter. */
public record CounterSpec(String id, CounterWiring wiring) implements DeviceSpec {
    public static final String KIND = "people_counter";

    @Override
    public String kind() {
        return KIND;
    }
}
