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
 * size after many events with retention, as the gateway keeps it while running ({@code Database.compact}).
 *
 * <p>Two sizes matter. The <em>live</em> data is what stays: the figures per command and per event are its growth.
 * The <em>file</em> is larger: every commit writes a new chunk, and H2 reuses a dead chunk's space only 45 s later
 * (its RETENTION_TIME, kept at its default), so during a burst the file grows by what was written in the last 45 s
 * ({@code file_per_command_bytes}) and then stays that size while the space inside it is reused.
 */
final class DiskGrowth implements Figure {
    static final double COMMAND_TARGET_BYTES = 2048;
    static final double EVENT_TARGET_BYTES = 512;
    static final double RETAINED_TARGET_MB = 64;
    private static final int CLIENTS = 8;
    private static final int WINDOW = 16;

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public String description() {
        return "database growth per command and per event (live data, and the file in a burst), and the file's size"
                + " after many events with retention, compacted while running";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        int commands = context.settings().scaled(2_000, 20);
        int events = context.settings().scaled(50_000, 200);
        try (Mosquitto broker = Mosquitto.start(context.directory("disk-broker"));
             BenchSite site = BenchSite.demo(context.directory("disk-data"), broker.url())) {
            Gateway gateway = site.gateway();
            Database db = gateway.context().db();
            String card = "B3E7D0";
            gateway.members().enroll(card, Role.VISITOR, false, null);
            site.awaitPublished(Duration.ofSeconds(60));
            long fileStart = db.fileSize();
            long liveStart = db.liveBytes();

            context.say("disk: %d commands", commands);
            sendCommands(broker.url(), gateway.topics().root(), card, commands);
            site.awaitPublished(Duration.ofSeconds(60));
            long fileAfterCommands = db.fileSize();
            long liveAfterCommands = db.liveBytes();

            context.say("disk: %d events", events);
            emit(site, events);
            long fileAfterEvents = db.fileSize();
            long liveAfterEvents = db.liveBytes();

            context.say("disk: three times retention removes the published events, then %d more come", events / 3);
            List<Long> sizes = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                gateway.journal().prunePublishedBefore(gateway.scheduler().now().plusSeconds(1));
                emit(site, events / 3);
                db.compact(Duration.ofSeconds(30));
                sizes.add(db.fileSize());
            }

            Map<String, Object> d = new LinkedHashMap<>();
            d.put("commands", commands);
            d.put("events", events);
            d.put("file_start_bytes", fileStart);
            d.put("file_per_command_bytes", (double) (fileAfterCommands - fileStart) / commands);
            d.put("file_per_event_bytes", (double) (fileAfterEvents - fileAfterCommands) / events);
            d.put("file_after_bytes", List.of(fileAfterCommands, fileAfterEvents));
            d.put("file_with_retention_bytes", sizes);
            d.put("measured", "kontor.mv.db: live data (file size x H2's fill rate) and file size, before and after the"
                    + " commands (member.credit through Mosquitto from 8 clients, 16 at a time) and the events (journaled on"
                    + " the site thread in batches of 1,000, published); then rounds of retention (every published event"
                    + " removed) and events, each followed by Database.compact");
            Map<String, Object> e = new LinkedHashMap<>(d);
            e.remove("measured");
            return List.of(
                    new Result("disk.command", (double) (liveAfterCommands - liveStart) / commands, "bytes/command",
                            Target.atMost(COMMAND_TARGET_BYTES), d),
                    new Result("disk.event", (double) (liveAfterEvents - liveAfterCommands) / events, "bytes/event",
                            Target.atMost(EVENT_TARGET_BYTES), e),
                    new Result("disk.retained", sizes.getLast() / 1e6, "MB", Target.atMost(RETAINED_TARGET_MB), e));
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
