package kontor.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kontor.testing.Mosquitto;
import kontor.testing.TestMqttClient;
import org.junit.jupiter.api.Test;

/** A flood of commands from one client, through a real Mosquitto, while the site thread is busy. */
class CommandFloodTest {
    private static final String ROOT = "kontor/flood";

    @Test
    void a_flooding_client_gets_busy_at_once_and_another_client_is_still_served() throws Exception {
        CountDownLatch siteBusy = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        ExecutorService site = Executors.newSingleThreadExecutor(r -> new Thread(r, "site"));
        try (Mosquitto broker = Mosquitto.startAnonymous();
             TestMqttClient flooder = TestMqttClient.connect(broker.url());
             TestMqttClient other = TestMqttClient.connect(broker.url())) {
            PahoMqttPort port = new PahoMqttPort(MqttSettings.builder(broker.url(), "gw-flood").build());
            CommandServer server = new CommandServer(port, ROOT, site, new InMemoryCommandLog(),
                    new CommandAdmission.Limits(50, 5, 1000));
            server.register("gateway.info", r -> {
                ran.incrementAndGet();
                return null;
            });
            server.start();
            port.start();
            await().atMost(Duration.ofSeconds(20)).until(port::connected);
            flooder.awaitAnswering(ROOT + "/cmd/gateway.info");
            ran.set(0);
            // The site thread is held up (a long command, a disk sync): requests can only queue.
            site.execute(() -> {
                try {
                    siteBusy.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            String replies = ROOT + "/reply/flooder/r";
            flooder.subscribe(replies);
            for (int i = 0; i < 40; i++) {
                flooder.publish(ROOT + "/cmd/gateway.info", ("{\"id\":\"f" + i + "\"}").getBytes(UTF_8), 1, false, replies, null);
            }
            // 35 are refused while the site thread is still busy: the refusal does not wait for it.
            await().atMost(TestMqttClient.WAIT).until(() -> busyReplies(flooder.messages(), replies) == 35);
            JsonNode busy = flooder.messages().stream().filter(m -> m.topic().equals(replies))
                    .map(m -> Json.tree(m.payload())).filter(j -> !j.path("ok").asBoolean()).findFirst().orElseThrow();
            assertThat(busy.path("id").asText()).startsWith("f");
            assertThat(busy.path("error").path("message").asText()).contains("5 commands waiting");
            assertThat(ran.get()).isZero();

            String otherReplies = ROOT + "/reply/other/r";
            other.subscribe(otherReplies);
            other.publish(ROOT + "/cmd/gateway.info", "{\"id\":\"o1\"}".getBytes(UTF_8), 1, false, otherReplies, null);
            siteBusy.countDown();
            JsonNode answered = Json.tree(other.awaitMessage(otherReplies).payload());
            assertThat(answered.path("ok").asBoolean()).isTrue();
            await().atMost(TestMqttClient.WAIT).until(() -> ran.get() == 6);
            port.close();
        } finally {
            siteBusy.countDown();
            site.shutdownNow();
            site.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void replies_still_being_kept_count_against_the_client_so_a_flood_cannot_pile_them_up() throws Exception {
        List<CompletableFuture<Void>> keeping = new CopyOnWriteArrayList<>();
        CommandLog slowToKeep = new CommandLog() {
            @Override
            public Optional<byte[]> find(String command, String id) {
                return Optional.empty();
            }

            @Override
            public CompletableFuture<Void> remember(String command, String id, byte[] reply) {
                CompletableFuture<Void> kept = new CompletableFuture<>();
                keeping.add(kept);
                return kept; // kept when the test says so: a slow disk
            }
        };
        AtomicInteger ran = new AtomicInteger();
        ExecutorService site = Executors.newSingleThreadExecutor(r -> new Thread(r, "site"));
        try (Mosquitto broker = Mosquitto.startAnonymous();
             TestMqttClient flooder = TestMqttClient.connect(broker.url())) {
            PahoMqttPort port = new PahoMqttPort(MqttSettings.builder(broker.url(), "gw-keep").build());
            CommandServer server = new CommandServer(port, ROOT, site, slowToKeep, new CommandAdmission.Limits(50, 5, 1000));
            server.register("member.credit", r -> {
                ran.incrementAndGet();
                return null;
            });
            server.start();
            port.start();
            await().atMost(Duration.ofSeconds(20)).until(port::connected);
            String replies = ROOT + "/reply/flooder/k";
            flooder.subscribe(replies);
            for (int i = 0; i < 8; i++) {
                flooder.publish(ROOT + "/cmd/member.credit", ("{\"id\":\"k" + i + "\"}").getBytes(UTF_8), 1, false, replies, null);
            }
            // The site thread is free and ran five; their replies are not kept yet, so the other three are busy.
            await().atMost(TestMqttClient.WAIT).until(() -> busyReplies(flooder.messages(), replies) == 3);
            assertThat(ran.get()).isEqualTo(5);
            assertThat(flooder.messages().stream().filter(m -> m.topic().equals(replies))).as("nothing sent before it is kept").hasSize(3);

            keeping.forEach(f -> f.complete(null));
            await().atMost(TestMqttClient.WAIT).until(() -> flooder.messages().stream().filter(m -> m.topic().equals(replies)).count() == 8);
            // Kept and sent: the client's bound is free again.
            flooder.publish(ROOT + "/cmd/member.credit", "{\"id\":\"k-after\"}".getBytes(UTF_8), 1, false, replies, null);
            await().atMost(TestMqttClient.WAIT).until(() -> ran.get() == 6);
            port.close();
        } finally {
            site.shutdownNow();
            site.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static long busyReplies(List<TestMqttClient.Message> messages, String topic) {
        return messages.stream().filter(m -> m.topic().equals(topic))
                .filter(m -> new String(m.payload(), UTF_8).contains("\"code\":\"busy\"")).count();
    }
}
