package kontor.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kontor.testing.Mosquitto;
import kontor.testing.TestMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandServerTest {
    private static final String ROOT = "kontor/test";

    private static Mosquitto broker;
    private static PahoMqttPort port;
    private static ExecutorService site;
    private static TestMqttClient client;
    private static final AtomicInteger credits = new AtomicInteger();
    private static final AtomicInteger siteThreadCalls = new AtomicInteger();
    private static CommandServer server;

    @BeforeAll
    static void start() {
        broker = Mosquitto.startAnonymous();
        port = new PahoMqttPort(MqttSettings.builder(broker.url(), "gw-cmd").build());
        site = Executors.newSingleThreadExecutor(r -> new Thread(r, "site"));
        server = new CommandServer(port, ROOT, site, new InMemoryCommandLog());
        server.register("member.credit", r -> {
            long amount = r.requirePositiveLong("amount");
            int balance = credits.addAndGet((int) amount);
            return Json.object().put("balance", balance);
        }, "amount");
        server.register("gateway.info", r -> {
            if (Thread.currentThread().getName().equals("site")) {
                siteThreadCalls.incrementAndGet();
            }
            return null;
        });
        server.register("locker.open", r -> {
            throw CommandException.notFound("no locker '" + r.requireText("locker") + "'");
        }, "locker");
        server.register("bug", r -> {
            throw new IllegalStateException("secret internals");
        });
        server.start();
        port.start();
        await().atMost(Duration.ofSeconds(20)).until(port::connected);
        client = TestMqttClient.connect(broker.url()).subscribe(ROOT + "/cmd/+/reply");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        port.close();
        site.shutdown();
        site.awaitTermination(5, TimeUnit.SECONDS);
        broker.close();
    }

    @BeforeEach
    void reset() {
        credits.set(0);
    }

    private static JsonNode request(String command, String payload) {
        return Json.tree(client.request(ROOT + "/cmd/" + command, payload).payload());
    }

    private static JsonNode fallback(String command, String payload) {
        client.publish(ROOT + "/cmd/" + command, payload);
        return Json.tree(client.awaitMessage(ROOT + "/cmd/" + command + "/reply").payload());
    }

    @Test
    void replies_on_the_response_topic_with_the_correlation_data() {
        JsonNode reply = request("member.credit", "{\"id\":\"r1\",\"amount\":500}");
        assertThat(reply.toString()).isEqualTo("{\"id\":\"r1\",\"ok\":true,\"result\":{\"balance\":500}}");
    }

    @Test
    void replies_on_the_reply_topic_without_a_response_topic() {
        JsonNode reply = fallback("member.credit", "{\"id\":\"f1\",\"amount\":7}");
        assertThat(reply.toString()).isEqualTo("{\"id\":\"f1\",\"ok\":true,\"result\":{\"balance\":7}}");
    }

    @Test
    void a_repeated_id_gets_the_first_reply_and_runs_the_handler_once() {
        JsonNode first = request("member.credit", "{\"id\":\"dup\",\"amount\":100}");
        JsonNode again = request("member.credit", "{\"id\":\"dup\",\"amount\":999}");
        assertThat(again).isEqualTo(first);
        assertThat(credits.get()).isEqualTo(100);

        JsonNode other = request("member.credit", "{\"id\":\"dup2\",\"amount\":1}");
        assertThat(other.at("/result/balance").asInt()).isEqualTo(101);
    }

    @Test
    void handlers_run_on_the_executor_and_null_gives_an_empty_result() {
        JsonNode reply = request("gateway.info", "{\"id\":\"i1\"}");
        assertThat(reply.toString()).isEqualTo("{\"id\":\"i1\",\"ok\":true,\"result\":{}}");
        assertThat(siteThreadCalls.get()).isPositive();
    }

    @Test
    void malformed_json_is_a_bad_request_without_id() {
        JsonNode reply = request("member.credit", "{\"id\":\"x\",");
        assertThat(reply.get("id").isNull()).isTrue();
        assertThat(reply.get("ok").asBoolean()).isFalse();
        assertThat(reply.at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(reply.at("/error/message").asText()).startsWith("payload is not valid JSON");
        assertThat(credits.get()).isZero();
    }

    @Test
    void a_payload_that_is_not_an_object_is_a_bad_request() {
        assertThat(request("member.credit", "[1,2]").at("/error/message").asText()).isEqualTo("payload must be a JSON object");
        assertThat(request("member.credit", "").at("/error/code").asText()).isEqualTo("bad_request");
    }

    @Test
    void a_missing_empty_or_non_string_id_is_a_bad_request() {
        assertThat(request("member.credit", "{\"amount\":5}").at("/error/message").asText()).isEqualTo("field 'id' is required");
        assertThat(request("member.credit", "{\"id\":5,\"amount\":5}").at("/error/message").asText()).isEqualTo("field 'id' must be a string");
        assertThat(request("member.credit", "{\"id\":\"\",\"amount\":5}").at("/error/message").asText()).contains("1 to 128 characters");
        assertThat(request("member.credit", "{\"id\":\"" + "x".repeat(129) + "\"}").at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(credits.get()).isZero();
    }

    @Test
    void a_read_neither_finds_nor_keeps_a_reply_while_a_call_is_answered_once_per_id() throws Exception {
        byte[] payload = "{\"id\":\"read-1\",\"amount\":5}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        server.read("member.credit", payload).get(10, TimeUnit.SECONDS);
        server.read("member.credit", payload).get(10, TimeUnit.SECONDS);
        assertThat(credits.get()).as("a read is run each time").isEqualTo(10);

        server.call("member.credit", payload).get(10, TimeUnit.SECONDS);
        JsonNode again = Json.tree(server.call("member.credit", payload).get(10, TimeUnit.SECONDS));
        assertThat(credits.get()).as("the reads kept no reply: the first call runs, the second gets its reply").isEqualTo(15);
        assertThat(again.at("/result/balance").asInt()).isEqualTo(15);
    }

    @Test
    void an_oversized_payload_is_a_bad_request() {
        String big = "{\"id\":\"big\",\"pad\":\"" + "x".repeat(17 * 1024) + "\"}";
        JsonNode reply = request("member.credit", big);
        assertThat(reply.at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(reply.at("/error/message").asText()).contains("at most 16384");
    }

    @Test
    void a_wrong_field_is_a_bad_request_naming_the_field() {
        JsonNode reply = request("member.credit", "{\"id\":\"a1\",\"amount\":-3}");
        assertThat(reply.toString()).isEqualTo(
                "{\"id\":\"a1\",\"ok\":false,\"error\":{\"code\":\"bad_request\",\"message\":\"field 'amount' must be a positive integer\"}}");
        assertThat(credits.get()).isZero();
    }

    @Test
    void an_unknown_command_is_refused_with_its_id() {
        JsonNode reply = request("no.such", "{\"id\":\"u1\"}");
        assertThat(reply.get("id").asText()).isEqualTo("u1");
        assertThat(reply.at("/error/code").asText()).isEqualTo("unknown_command");
    }

    @Test
    void a_command_exception_becomes_its_error_code() {
        JsonNode reply = request("locker.open", "{\"id\":\"l1\",\"locker\":\"locker-99\"}");
        assertThat(reply.at("/error/code").asText()).isEqualTo("not_found");
        assertThat(reply.at("/error/message").asText()).isEqualTo("no locker 'locker-99'");
    }

    @Test
    void an_unexpected_failure_is_internal_and_does_not_leak_details() {
        JsonNode reply = request("bug", "{\"id\":\"b1\"}");
        assertThat(reply.at("/error/code").asText()).isEqualTo("internal");
        assertThat(reply.at("/error/message").asText()).doesNotContain("secret");
        // The server keeps serving.
        assertThat(request("gateway.info", "{\"id\":\"after-bug\"}").get("ok").asBoolean()).isTrue();
    }

    @Test
    void mosquitto_rr_gets_the_reply() throws Exception {
        String id = UUID.randomUUID().toString();
        Process rr = new ProcessBuilder("mosquitto_rr", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-t", ROOT + "/cmd/member.credit", "-e", ROOT + "/reply/rr-" + id, "-W", "15",
                "-m", "{\"id\":\"" + id + "\",\"amount\":42}")
                .redirectErrorStream(true).start();
        String out = new String(rr.getInputStream().readAllBytes(), UTF_8).trim();
        assertThat(rr.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(Json.tree(out.getBytes(UTF_8)).toString())
                .isEqualTo("{\"id\":\"" + id + "\",\"ok\":true,\"result\":{\"balance\":42}}");
    }

    @Test
    void an_unknown_field_is_a_bad_request_and_changes_nothing() {
        // Issue 14: a misspelt optional field must not pass as absent. One rule, in the server, for every command.
        JsonNode reply = request("member.credit", "{\"id\":\"uf1\",\"amount\":5,\"amuont\":50}");
        assertThat(reply.at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(reply.at("/error/message").asText()).isEqualTo("unknown field 'amuont'; member.credit takes 'id' and amount, by");
        assertThat(credits.get()).isZero();
    }

    @Test
    void a_response_topic_outside_the_reply_prefix_gets_no_reply_and_runs_nothing() {
        // Issue 14.4: the gateway may write where its clients may not; a forged response topic would let an operator
        // publish as the gateway. Watch the forged topic and the fallback: nothing arrives on either.
        try (TestMqttClient attacker = TestMqttClient.connect(broker.url()).subscribe(ROOT + "/events")) {
            attacker.publish(ROOT + "/cmd/member.credit", "{\"id\":\"forged\",\"amount\":9}".getBytes(UTF_8), 1, false,
                    ROOT + "/events", new byte[] {1});
            // A later, honest request is answered: so the forged one was handled (and dropped) before it.
            // (through the same connection, so a reply to the forged one would have arrived first).
            assertThat(Json.tree(attacker.request(ROOT + "/cmd/member.credit", "{\"id\":\"after-forged\",\"amount\":1}")
                    .payload()).at("/result/balance").asInt()).isEqualTo(1);
            assertThat(attacker.messages()).noneMatch(m -> m.topic().equals(ROOT + "/events"));
        }
    }

    @Test
    void a_retained_command_is_not_run_and_its_retained_copy_is_cleared() throws Exception {
        // Issue 14.5: a retained command would run again on every reconnect. The gateway subscribes with retain as
        // published, sees the flag, refuses, and clears the broker's copy.
        client.publish(ROOT + "/cmd/member.credit", "{\"id\":\"ret1\",\"amount\":9}".getBytes(UTF_8), 1, true);
        JsonNode reply = Json.tree(client.awaitMessage(ROOT + "/cmd/member.credit/reply").payload());
        assertThat(reply.at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(reply.at("/error/message").asText()).contains("retained");
        assertThat(credits.get()).isZero();
        // A new subscriber gets no retained command: mosquitto_sub --retained-only exits at once with nothing.
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-t", ROOT + "/cmd/member.credit", "--retained-only", "-W", "2").redirectErrorStream(true).start();
        String out = new String(sub.getInputStream().readAllBytes(), UTF_8).trim();
        assertThat(sub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotContain("ret1");
    }

    @Test
    void register_refuses_bad_names_and_duplicates() {
        CommandServer server = new CommandServer(port, ROOT, Runnable::run, new InMemoryCommandLog());
        server.register("a.b", r -> null);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> server.register("a.b", r -> null));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> server.register("A/B", r -> null));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new CommandServer(port, "kontor/#", Runnable::run, new InMemoryCommandLog()));
    }
}
