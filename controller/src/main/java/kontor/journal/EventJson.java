package kontor.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one JSON form of an event, as published on {@code kontor/{site}/events}:
 * {@code {"seq":N,"ts":"2026-11-26T09:00:00.123+01:00","type":"card.denied","device":"reader-room-1",...fields}}
 * with the time in the site's zone, always to the millisecond, and {@code device} left out when there is none.
 */
public final class EventJson {
    /** Member names of the envelope; an event's own fields may not use them. */
    public static final Set<String> RESERVED = Set.of("seq", "ts", "type", "device");
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    private final ZoneId zone;

    public EventJson(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public ZoneId zone() {
        return zone;
    }

    /** The event as UTF-8 JSON. */
    public byte[] toJson(Event event) {
        return toJson(event.seq(), event.ts(), event.type(), event.device(), writeFields(event.fields()));
    }

    /**
     * An event as UTF-8 JSON from its stored columns: the fields go in as the journal stored them
     * (a JSON object written by {@link #writeFields}), without being parsed and written again; the
     * publisher sends every event this way.
     */
    byte[] toJson(long seq, Instant ts, String type, String device, String storedFields) {
        int last = storedFields.length() - 1;
        if (last < 1 || storedFields.charAt(0) != '{' || storedFields.charAt(last) != '}') {
            throw new IllegalStateException("stored fields of event " + seq + " are not a JSON object");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + storedFields.length());
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("seq", seq);
            g.writeStringField("ts", formatTime(ts));
            g.writeStringField("type", type);
            if (device != null) {
                g.writeStringField("device", device);
            }
            if (last > 1) {
                g.writeRaw(',');
                g.writeRaw(storedFields, 1, last - 1);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The instant as events show it: ISO-8601 in the site's zone, with milliseconds and offset. */
    public String formatTime(Instant instant) {
        return TS.format(instant.atZone(zone));
    }

    /**
     * Reads an event back from its JSON (for consumers and tests).
     *
     * @throws IllegalArgumentException if it is not an event
     */
    public static Event parse(byte[] json) {
        Map<String, Object> all;
        try {
            all = MAPPER.readValue(json, OBJECT);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
        }
        if (!(all.remove("seq") instanceof Number seq) || !(all.remove("ts") instanceof String ts)
                || !(all.remove("type") instanceof String type)) {
            throw new IllegalArgumentException("an event needs a numeric seq, a ts and a type");
        }
        Object device = all.remove("device");
        if (device != null && !(device instanceof String)) {
            throw new IllegalArgumentException("an event's device must be a string");
        }
        try {
            return new Event(seq.longValue(), OffsetDateTime.parse(ts).toInstant(), type, (String) device, all);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("an event's ts must be ISO-8601 with an offset: " + ts, e);
        }
    }

    /** The fields as the journal stores them. */
    static String writeFields(Map<String, Object> fields) {
        try {
            return MAPPER.writeValueAsString(fields);
        } catch (IOException e) {
            throw new IllegalArgumentException("event fields cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    public static Map<String, Object> readFields(String json) {
        try {
            return MAPPER.readValue(json, OBJECT);
        } catch (IOException e) {
            throw new IllegalStateException("stored event fields are not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that every field is a plain JSON value and none takes an envelope name.
     *
     * @throws IllegalArgumentException naming the first offending field
     */
    static void checkFields(Map<String, Object> fields) {
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            String name = field.getKey();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("event field names must not be empty");
            }
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("event field '" + name + "' is reserved for the envelope");
            }
            checkValue(name, field.getValue());
        }
    }

    private static void checkValue(String path, Object value) {
        switch (value) {
            case null -> { }
            case String s -> { }
            case Boolean b -> { }
            case Integer i -> { }
            case Long l -> { }
            case Short s -> { }
            case Byte b -> { }
            case BigInteger b -> { }
            case BigDecimal b -> { }
            case Double d -> checkFinite(path, d);
            case Float f -> checkFinite(path, f.doubleValue());
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    checkValue(path + "[" + i + "]", list.get(i));
                }
            }
            case Map<?, ?> map -> {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException("event field '" + path + "' has a key that is not a string");
                    }
                    checkValue(path + "." + key, e.getValue());
                }
            }
            default -> throw new IllegalArgumentException("event field '" + path + "' is a "
                    + value.getClass().getSimpleName() + "; use a string, number, boolean, null, list or map");
        }
    }

    private static void checkFinite(String path, double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("event field '" + path + "' is not a finite number");
        }
    }
}
