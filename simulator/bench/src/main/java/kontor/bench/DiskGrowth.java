package kontor.bench;

import static kontor.core.Events.fields;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import kontor.gateway.Gateway;
import kontor.members.Role;
import kontor.store.Database;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * How the database grows: per command ({@code member.credit} through Mosquitto: its posting, its
 * {@code payment.credited}, its stored reply), per event (journaled on the site thread and published), and the file's
 * size after 1,000,000 events with retention, as the gateway keeps it while running ({@code Database.compact}).
 *
 * <p>Three sizes matter. The <em>live</em> data is what stays ({@link Database#liveBytes}): the figures per command
 * and per event are its growth. The bytes <em>written</em> are what the SD card sees: every commit writes a chunk of
 * its own (the changed pages, whole, and the chunk's metadata), so a command of three small rows costs kilobytes.
 * The <em>file</em> holds what was written in the last 45 s besides the live data: H2 reuses a dead chunk's space only
 * after its RETENTION_TIME (kept at its default), so during a burst the file grows by what was written and then stays
 * that size while the space inside it is reused ({@code file_per_*_bytes}).
 */
final class DiskGrowth implements Figure {
    static final double COMMAND_TARGET_BYTES = 2048;
    static final double EVENT_TARGET_BYTES = 512;
    static final double RETAINED_TARGET_MB = 64;
    private static final int CLIENTS = 8;
    private static final int WINDOW = 16;
    /** Retention removes the published events after every tenth of the million. */
    private static final int ROUNDS = 10;
    /** H2's RETENTION_TIME (45 s) and a little: after it, dead chunks are free space. */
    private static final int RETENTION_SECONDS = 46;

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public String description() {
        return "database growth per command and per event (live data, bytes written, the file in a burst), and the file's"
                + " size after 1,000,000 events with retention, compacted while running";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        int commands = context.settings().scaled(2_000, 20);
        int events = context.settings().scaled(50_000, 200);
        int retained = context.settings().scaled(1_000_000, 1_000);
        try (Mosquitto broker = Mosquitto.start(context.directory("disk-broker"));
             BenchSite site = BenchSite.demo(context.directory("disk-data"), broker.url())) {
            Gateway gateway = site.gateway();
            Database db = gateway.context().db();
            String card = "B3E7D0";
            gateway.members().enroll(card, Role.VISITOR, false, null);
            site.awaitPublished(Duration.ofSeconds(60));
            Sizes start = Sizes.of(db);

            context.say("disk: %d commands", commands);
            sendCommands(broker.url(), gateway.topics().root(), card, commands);
            site.awaitPublished(Duration.ofSeconds(60));
            Sizes afterCommands = Sizes.of(db);

            context.say("disk: %d events", events);
            emit(site, events);
            Sizes afterEvents = Sizes.of(db);

            context.say("disk: %,d events in %d rounds, each followed by retention (every published event removed)"
                    + " and compaction", retained, ROUNDS);
            List<Long> sizes = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int round = 0; round < ROUNDS; round++) {
                emit(site, retained / ROUNDS);
                gateway.journal().prunePublishedBefore(gateway.scheduler().now().plusSeconds(1));
                db.compact(Duration.ofSeconds(30));
                sizes.add(db.fileSize());
            }
            double retainedSeconds = (System.nanoTime() - t0) / 1e9;
            // The rounds come faster than H2 frees dead chunks (RETENTION_TIME), so the file grows by all that was
            // written in them. What the database keeps is the space in use once that time has passed and the gateway's
            // minutely compaction has run; the file itself shrinks only when the space at its end is free, which takes
            // another compaction a retention time later (the gateway's next minutes), so it is a detail.
            context.say("disk: waiting out H2's retention time (%d s), then compacting", RETENTION_SECONDS);
            Pause.millis(RETENTION_SECONDS * 1000L);
            db.compact(Duration.ofSeconds(30));
            site.onSiteThread(() -> gateway.context().events().emit("bench.load", "copier-1", fields("n", -1)));
            db.compact(Duration.ofSeconds(30));
            Sizes end = Sizes.of(db);

            Map<String, Object> c = new LinkedHashMap<>();
            c.put("commands", commands);
            c.put("written_per_command_bytes", (double) (afterCommands.written() - start.written()) / commands);
            c.put("writes_per_command", (double) (afterCommands.writes() - start.writes()) / commands);
            c.put("file_per_command_bytes", (double) (afterCommands.file() - start.file()) / commands);
            c.put("measured", "kontor.mv.db: live pages (the chunks' live lengths in H2's layout), bytes and chunk writes"
                    + " (H2's info.FILE_WRITE_BYTES, info.FILE_WRITE), file size; before and after the commands"
                    + " (member.credit through Mosquitto from 8 clients, 16 at a time)");
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("events", events);
            e.put("written_per_event_bytes", (double) (afterEvents.written() - afterCommands.written()) / events);
            e.put("writes_per_event", (double) (afterEvents.writes() - afterCommands.writes()) / events);
            e.put("file_per_event_bytes", (double) (afterEvents.file() - afterCommands.file()) / events);
            e.put("measured", "as disk.command, around events journaled on the site thread in batches of 1,000 and published");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("events", retained);
            r.put("rounds", ROUNDS);
            r.put("file_after_round_bytes", sizes);
            r.put("file_after_rounds_mb", sizes.getLast() / 1e6);
            r.put("live_bytes", end.live());
            r.put("file_bytes", end.file());
            r.put("seconds", retainedSeconds);
            r.put("measured", "kontor.mv.db after " + retained + " events in " + ROUNDS + " rounds, each round: its events"
                    + " journaled and published, every published event removed (retention), Database.compact; then H2's"
                    + " retention time and a compaction: the space in use in the file (its size x H2's info.FILL_RATE);"
                    + " file_bytes: the file, which keeps its high-water mark until a later compaction frees its end");
            return List.of(
                    new Result("disk.command", (double) (afterCommands.live() - start.live()) / commands, "bytes/command",
                            Target.atMost(COMMAND_TARGET_BYTES), c),
                    new Result("disk.event", (double) (afterEvents.live() - afterCommands.live()) / events, "bytes/event",
                            Target.atMost(EVENT_TARGET_BYTES), e),
                    new Result("disk.retained", end.used() / 1e6, "MB", Target.atMost(RETAINED_TARGET_MB), r));
        }
    }

    /**
     * The database's live pages, the bytes and chunk writes H2 made since it opened, the file's size and the percentage
     * of it in use (chunks live or within their retention time; the rest is free space H2 reuses).
     */
    record Sizes(long live, long written, long writes, long file, long fillRate) {
        long used() {
            return file * fillRate / 100;
        }

        static Sizes of(Database db) {
            Map<String, Long> info = db.read(tx -> {
                Map<String, Long> m = new java.util.HashMap<>();
                try (var s = tx.connection().createStatement(); var rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE"
                        + " FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('info.FILE_WRITE_BYTES', 'info.FILE_WRITE', 'info.FILL_RATE')")) {
                    while (rs.next()) {
                        m.put(rs.getString(1), Long.parseLong(rs.getString(2)));
                    }
                }
                return m;
            });
            return new Sizes(db.liveBytes(), info.getOrDefault("info.FILE_WRITE_BYTES", -1L),
                    info.getOrDefault("info.FILE_WRITE", -1L), db.fileSize(), info.getOrDefault("info.FILL_RATE", 100L));
        }
    }

    /** {@code count} events journaled on the site thread, a thousand at a time, and published. */
    private static void emit(BenchSite site, int count) {
        Gateway gateway = site.gateway();
        for (int done = 0; done < count; ) {
            int batch = Math.min(1_000, count - done);
            int from = done;
            site.onSiteThread(() -> {
                for (int i = 0; i < batch; i++) {
                    gateway.context().events().emit("bench.load", "copier-1", fields("n", from + i));
                }
            });
            done += batch;
        }
        site.awaitPublished(Duration.ofSeconds(120));
    }

    /** {@code count} credits of one cent, from {@link #CLIENTS} clients, at most {@link #WINDOW} unanswered. */
    private static void sendCommands(String url, String root, String card, int count) throws Exception {
        Map<String, CompletableFuture<Boolean>> waiting = new ConcurrentHashMap<>();
        try (RawClient client = RawClient.connect(url, "bench-disk", false, true, m -> {
            byte[] correlation = m.getProperties() == null ? null : m.getProperties().getCorrelationData();
            if (correlation != null) {
                CompletableFuture<Boolean> f = waiting.remove(new String(correlation, StandardCharsets.UTF_8));
                if (f != null) {
                    f.complete(new String(m.getPayload(), StandardCharsets.UTF_8).contains("\"ok\":true"));
                }
            }
        })) {
            client.subscribe(root + "/reply/#", 1);
            List<CompletableFuture<Boolean>> window = new ArrayList<>();
            int failed = 0;
            for (int i = 0; i < count; i++) {
                String id = "disk-" + System.nanoTime() + "-" + i;
                CompletableFuture<Boolean> reply = new CompletableFuture<>();
                waiting.put(id, reply);
                MqttProperties props = new MqttProperties();
                props.setResponseTopic(root + "/reply/disk-" + (i % CLIENTS) + "/r");
                props.setCorrelationData(id.getBytes(StandardCharsets.UTF_8));
                client.publish(root + "/cmd/member.credit", ("{\"id\":\"" + id + "\",\"card\":\"" + card
                        + "\",\"amount\":1}").getBytes(StandardCharsets.UTF_8), 1, props);
                window.add(reply);
                if (window.size() == WINDOW) {
                    for (CompletableFuture<Boolean> f : window) {
                        if (!f.get(10, TimeUnit.SECONDS)) {
                            failed++;
                        }
                    }
                    window.clear();
                }
            }
            for (CompletableFuture<Boolean> f : window) {
                if (!f.get(10, TimeUnit.SECONDS)) {
                    failed++;
                }
            }
            if (failed > 0) {
                throw new BenchException(failed + " of " + count + " credits were refused");
            }
        }
    }
}
