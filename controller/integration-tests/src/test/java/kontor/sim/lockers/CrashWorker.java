package kontor.sim.lockers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import kontor.members.Role;
import kontor.mqtt.Json;
import kontor.sim.demo.SimulatedSite;
import kontor.time.SimulatedTime;
import kontor.site.Site;
import kontor.testing.InMemoryMqtt;

/**
 * The child process of {@link LockerCrashTest}: runs a gateway of the money-charging demo site on a data
 * directory and works it without pause — top-ups, taps that claim, reopen and release day lockers (with
 * their deposits), rental assignments with their fee, host releases, and now and then hours passing
 * (closing time, rental expiry) — until it is killed. Prints {@code READY}, then {@code OP n} per deed
 * and {@code SENT command payload} before each command, so that the test can send them again.
 *
 * <p>Usage: {@code CrashWorker DATA_DIR SEED}
 */
public final class CrashWorker {
    static final List<String> CARDS = List.of("0A000001", "0A000002", "0A000003", "0A000004", "0A000005", "0A000006");

    private final PrintStream out = System.out;
    private final Random random;
    private final InMemoryMqtt mqtt = new InMemoryMqtt();
    private final Map<String, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final AtomicReference<CompletableFuture<JsonNode>> nextDecision = new AtomicReference<>();
    private final String seed;
    private SimulatedTime time;
    private SimulatedSite world;
    private String root;

    private CrashWorker(String seed) {
        this.seed = seed;
        this.random = new Random(seed.hashCode());
    }

    public static void main(String[] args) throws Exception {
        new CrashWorker(args[1]).run(Path.of(args[0]));
    }

    private void run(Path data) throws Exception {
        Site site = LockerSites.withMoney();
        time = SimulatedTime.flowing(LockerSites.TUESDAY_9.atZone(site.zone()).toInstant());
        root = site.topicRoot() + "/" + site.id();
        world = SimulatedSite.start(site, data, time, time, will -> mqtt);
        for (String card : CARDS) {
            if (world.gateway().members().byCard(card).isEmpty()) {
                world.gateway().members().enroll(card, Role.VISITOR, false, null);
            }
        }
        mqtt.subscribe(root + "/cmd/+/reply", 1, m -> {
            JsonNode reply = Json.tree(m.payload());
            CompletableFuture<JsonNode> f = replies.remove(reply.path("id").asText());
            if (f != null) {
                f.complete(reply);
            }
        });
        mqtt.subscribe(root + "/events", 1, m -> {
            JsonNode event = Json.tree(m.payload());
            if (event.path("type").asText().startsWith("card.") && event.path("device").asText().equals(LockerSites.BANK)) {
                CompletableFuture<JsonNode> f = nextDecision.getAndSet(null);
                if (f != null) {
                    f.complete(event);
                }
            }
        });
        out.println("READY");
        out.flush();
        for (long n = 1; ; n++) {
            step(n);
            out.println("OP " + n);
            out.flush();
        }
    }

    private void step(long n) throws Exception {
        String card = CARDS.get(random.nextInt(CARDS.size()));
        int dice = random.nextInt(100);
        if (dice < 25) {
            command("member.credit", "{\"id\":\"credit-%s-%d\",\"card\":\"%s\",\"amount\":%d}"
                    .formatted(seed, n, card, 100 * (1 + random.nextInt(40))));
        } else if (dice < 70) {
            tap(card);
            if (random.nextBoolean()) {
                tap(card);
            }
        } else if (dice < 82) {
            String until = random.nextBoolean() ? ",\"until\":\"" + time.now().plus(Duration.ofHours(2)) + "\"" : "";
            command("locker.assign", "{\"id\":\"assign-%s-%d\",\"locker\":\"locker-%d\",\"card\":\"%s\"%s}"
                    .formatted(seed, n, 13 + random.nextInt(4), card, until));
        } else if (dice < 94) {
            command("locker.release", "{\"id\":\"release-%s-%d\",\"locker\":\"locker-%02d\"}"
                    .formatted(seed, n, 1 + random.nextInt(16)));
        } else if (dice < 97) {
            world.contact("locker-%02d".formatted(1 + random.nextInt(12)), random.nextBoolean());
        } else {
            time.advance(Duration.ofHours(1 + random.nextInt(6)));
        }
    }

    private void command(String name, String payload) throws Exception {
        JsonNode request = Json.tree(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(request.path("id").asText(), reply);
        out.println("SENT " + name + " " + payload);
        out.flush();
        mqtt.clientPublish(root + "/cmd/" + name, payload, null, null);
        reply.get(10, TimeUnit.SECONDS);
    }

    private void tap(String card) throws Exception {
        CompletableFuture<JsonNode> decision = new CompletableFuture<>();
        nextDecision.set(decision);
        world.tap(LockerSites.BANK, card);
        decision.get(10, TimeUnit.SECONDS);
    }
}
