package kontor.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private final EventJson stockholm = new EventJson(ZoneId.of("Europe/Stockholm"));

    @Test
    void an_event_is_its_envelope_then_its_fields_in_order() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("reason", "unknown_card");
        fields.put("card", "…E5FF");
        Event event = new Event(42, Instant.parse("2026-11-26T08:00:00.123Z"), "card.denied", "reader-room-1", fields);

        assertThat(json(stockholm, event)).isEqualTo(
                "{\"seq\":42,\"ts\":\"2026-11-26T09:00:00.123+01:00\",\"type\":\"card.denied\","
                        + "\"device\":\"reader-room-1\",\"reason\":\"unknown_card\",\"card\":\"…E5FF\"}");
    }

    @Test
    void device_is_left_out_when_there_is_none_and_millis_are_always_shown() {
        Event event = new Event(1, Instant.parse("2026-07-01T10:00:00Z"), "gateway.started", null, Map.of());
        assertThat(json(stockholm, event)).isEqualTo("{\"seq\":1,\"ts\":\"2026-07-01T12:00:00.000+02:00\",\"type\":\"gateway.started\"}");
    }

    @Test
    void utc_is_written_as_an_offset_not_z() {
        Event event = new Event(1, Instant.parse("2026-07-01T10:00:00Z"), "x", null, Map.of());
        assertThat(json(new EventJson(ZoneOffset.UTC), event)).contains("\"ts\":\"2026-07-01T10:00:00.000+00:00\"");
    }

    @Test
    void nested_values_and_nulls_are_written_as_json() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("pages", 3);
        fields.put("paid", true);
        fields.put("booking", null);
        fields.put("list", List.of(1, "two"));
        Event event = new Event(7, Instant.parse("2026-07-01T10:00:00Z"), "copier.page", "copier-1", fields);
        assertThat(json(stockholm, event)).endsWith(
                "\"device\":\"copier-1\",\"pages\":3,\"paid\":true,\"booking\":null,\"list\":[1,\"two\"]}");
    }

    @Test
    void parse_reads_back_what_was_written() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("reason", "no_show");
        fields.put("minutes", 10);
        Event event = new Event(9, Instant.parse("2026-11-26T08:00:00.123Z"), "booking.released", "room-1", fields);
        assertThat(EventJson.parse(stockholm.toJson(event))).isEqualTo(event);
        assertThatThrownBy(() -> EventJson.parse("{\"seq\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String json(EventJson json, Event event) {
        return new String(json.toJson(event), StandardCharsets.UTF_8);
    }
}
