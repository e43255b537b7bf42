package kontor.site;

import java.util.List;

/** A bookable room; {@code door} and {@code light} may be null, {@code presence} may be empty. */
public record Room(String id, String name, int seats, ReaderSpec reader, DoorSpec door, List<PresenceSpec> presence,
                   LightSpec light) {
    public Room {
        presence = List.copyOf(presence);
    }
}
