package kontor.sim.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import kontor.sim.SiteHarness;
import kontor.testing.InMemoryMqtt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of generated hostile payloads — not JSON, wrong types, missing or absurd fields,
 * oversized — at every command and simulator topic. Each gets a clear error (never {@code internal}),
 * the gateway keeps serving, and afterwards the retained state, the members and the journal are
 * exactly as before. Seeded, so a failure can be replayed.
 */
class HostileInputFuzzTest {
    private static final long SEED = 20261126L;
    private static final int ROUNDS = 3000;
    private static final List<String> COMMANDS = List.of("gateway.info", "device.list", "card.enroll", "card.revoke",
            "member.show", "member.credit", "locker.open", "locker.assign", "locker.release", "locker.service", "room.book",
            "booking.cancel", "bookings.list", "alarm.ack", "events.replay", "no.such.command");
    /** Commands that change nothing may answer a request with stray fields; the rest must refuse. */
    private static final java.util.Set<String> READ_ONLY = java.util.Set.of("gateway.info", "device.list", "bookings.list");
    private static final List<String> SIM = List.of("tap", "motion", "contact", "exit", "people", "pages", "printer",
            "fire", "fault", "clock", "nonsense");

    @Test
    void hostile_payloads_get_clear_errors_and_change_nothing(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T09:00:00"))) {
            Snapshot before = Snapshot.of(site);
            Random random = new Random(SEED);
            List<String> internal = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                if (random.nextInt(3) == 0) {
                    site.sim(SIM.get(random.nextInt(SIM.size())), hostileSim(random));
                    continue;
                }
                String command = COMMANDS.get(random.nextInt(COMMANDS.size()));
                JsonNode reply = site.commandRaw(command, hostileCommand(random, i));
                if (!READ_ONLY.contains(command)) {
                    assertThat(reply.path("ok").asBoolean()).as("%s accepted %s", command, reply).isFalse();
                }
                if (reply.path("error").path("code").asText().equals("internal")) {
                    internal.add(command + ": " + reply);
                }
            }
            assertThat(internal).as("no hostile payload may cause an internal error").isEmpty();
            // The flood may have used up this client's commands per second (busy): it answers again once they refill.
            await().until(() -> site.command("gateway.info", "").path("ok").asBoolean());
            assertThat(Snapshot.of(site)).isEqualTo(before);
        }
    }

    /** A command payload that is malformed for every command: broken JSON, or a request whose id or fields are unusable. */
    private static String hostileCommand(Random r, int i) {
        String id = "\"id\":\"fuzz-" + i + "\"";
        return switch (r.nextInt(9)) {
            case 0 -> randomBytes(r);
            case 1 -> "{" + id + ",";                                             // cut off
            case 2 -> "[" + id + "]";                                             // not an object
            case 3 -> "{\"id\":" + oddValue(r) + "}";                             // id of the wrong type
            case 4 -> "{\"id\":\"" + "x".repeat(300 + r.nextInt(5000)) + "\"}";  // id far too long
            case 5 -> "{" + id + ",\"card\":" + oddValue(r) + ",\"member\":" + oddValue(r) + ",\"amount\":\"" + r.nextInt() + "\"}";
            case 6 -> "{" + id + ",\"padding\":\"" + "A".repeat(17 * 1024) + "\"}";  // oversized
            case 7 -> "{" + id + "," + id + "}";                                  // duplicate key
            default -> "{" + id + ",\"card\":\"" + "Z".repeat(1 + r.nextInt(20)) + "\",\"locker\":" + oddValue(r)
                    + ",\"room\":" + oddValue(r) + ",\"from_seq\":" + oddValue(r) + ",\"alarm\":" + oddValue(r) + "}";
        };
    }

    /** A simulator payload that no action accepts. */
    private static String hostileSim(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> randomBytes(r);
            case 1 -> "{\"reader\":" + oddValue(r) + ",\"card\":\"XYZ\"}";
            case 2 -> "{\"sensor\":\"no-such-sensor\",\"motion\":\"maybe\",\"device\":" + oddValue(r) + "}";
            case 3 -> "{\"counter\":\"counter-entrance\",\"in\":" + (-1 - r.nextInt(1000)) + "}";
            default -> "{\"advance\":\"PT" + (-1 - r.nextInt(99)) + "M\",\"active\":\"yes\",\"fault\":\"melted\",\"state\":\"on fire\"}";
        };
    }

    private static String oddValue(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> "null";
            case 1 -> Long.toString(r.nextLong());
            case 2 -> "1e309";
            case 3 -> "[1,2,{\"a\":[]}]";
            case 4 -> "{\"nested\":{\"deeper\":true}}";
            case 5 -> "true";
            default -> "-0.5";
        };
    }

    private static String randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(200)];
        r.nextBytes(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** What must not change: every retained topic but the clock-driven ones, the members, and the journal's length. */
    private record Snapshot(Map<String, String> retained, long lastSeq, List<String> members) {
        static Snapshot of(SiteHarness site) {
            site.settle();
            Map<String, String> retained = new TreeMap<>();
            for (InMemoryMqtt.Published p : site.mqtt().published()) {
                if (p.retained()) {
                    String value = site.mqtt().retained(p.topic());
                    if (value != null) {
                        retained.put(p.topic(), value);
                    }
                }
            }
            List<String> members = site.gateway().context().db().read(tx -> {
                List<String> rows = new ArrayList<>();
                try (var s = tx.connection().createStatement();
                     var rs = s.executeQuery("SELECT id, role, accessible, revoked FROM members ORDER BY id")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getBoolean(3) + "/" + rs.getBoolean(4));
                    }
                }
                return rows;
            });
            return new Snapshot(retained.entrySet().stream().filter(e -> !e.getKey().endsWith("/gateway/status"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)),
                    site.gateway().journal().lastSeq(), members);
        }
    }
}
