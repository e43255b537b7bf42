package kontor.site;

import java.util.Optional;

import kontor.device.wiring.CounterWiring;

/** A directional people counter: wired (two pulse inputs) or a field device; exactly one of the two is set. */
public record CounterSpec(String id, CounterWiring wiring, FieldSource field) implements DeviceSpec {
    public static final String KIND = "people_counter";

    public CounterSpec {
        if ((wiring == null) == (field == null)) {
            throw new IllegalArgumentException("a people counter is either wired or a field device");
        }
    }

    public CounterSpec(String id, CounterWiring wiring) {
        this(id, wiring, null);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Optional<FieldSource> fieldSource() {
        return Optional.ofNullable(field);
    }
}
