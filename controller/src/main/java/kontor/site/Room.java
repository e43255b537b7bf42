package kontor.site;

import java.util.List;

/**
 * A bookable room; {@code door}, {@code light} and {@code calendar} (its linked booking calendar) may be null,
 * {@code presence} may be empty.
 */
public record Room(String id, String name, int seats, ReaderSpec reader, DoorSpec door, List<PresenceSpec> presence,
                   LightSpec light, CalendarSpec calendar) {
    public Room {
        presence = List.copyOf(presence);
    }

    /** A room without a linked calendar. */
    public Room(String id, String name, int seats, ReaderSpec reader, DoorSpec door, List<PresenceSpec> presence,
                LightSpec light) {
        this(id, name, seats, reader, door, presence, light, null);
    }

    /** This room linked to {@code calendar} (the demo's {@code --caldav}). */
    public Room withCalendar(CalendarSpec calendar) {
        return new Room(id, name, seats, reader, door, presence, light, calendar);
    }
}
