package kontor.journal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One journal entry. {@code device} is null when the event concerns no device; {@code fields} are the
 * event's further JSON members in the order they were given, with values that are String, Number, Boolean,
 * null, List or Map of those. Never put a raw card identifier or a name in them.
 */
public record Event(long seq, Instant ts, String type, String device, Map<String, Object> fields) {

    public Event {
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(type, "type");
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
