package kontor.site;

import java.util.Optional;

/**
 * A door or window contact that is not part of a {@link DoorSpec} and reports as a field device (a Zigbee
 * contact over MQTT or a CoAP node). Its changes are {@code door.opened} / {@code door.closed} events.
 */
public record ContactSpec(String id, FieldSource source) implements DeviceSpec {
    public static final String KIND = "contact_sensor";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Optional<FieldSource> fieldSource() {
        return Optional.ofNullable(source);
    }
}
