package kontor.site;

/** The site's entrance: its door, and optionally its reader and people counter (null when absent). */
public record Entrance(DoorSpec door, ReaderSpec reader, CounterSpec counter) { }
