package kontor.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Command round trip: an operator's client sends {@code gateway.info} with an MQTT 5 response topic
 * and correlation data through Mosquitto; the gateway (the demo site on the simulated board)
 * answers; the clock runs from the request's publish to the reply's arrival. One request at a time.
 *
 * <p>Baseline, in the same run through the same broker, request by request alternating with the gateway's: a bare
 * Paho client that answers every request on its topic at once with the same correlation data (an MQTT 5
 * request/response echo), so that what the broker and the two sockets cost is measured beside what the gateway adds.
 */
final class CommandRoundTrip implements Figure {
    /** The gateway's p99 within this multiple of the bare echo's. */
    static final double MAX_RATIO = 2;
    private static final int WARM_UP = 100;
    private static final String ECHO_TOPIC = "bench/echo/cmd";

    @Override
    public String name() {
        return "command";
    }

    @Override
    public String description() {
        return "gateway.info request -> reply through Mosquitto, against a bare MQTT 5 request/response echo";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        int requests = context.settings().scaled(500, 10);
        try (Mosquitto broker = Mosquitto.start(context.directory("command-broker"));
             BenchSite site = BenchSite.demo(context.directory("command-data"), broker.url());
             RawClient echo = Echo.start(broker.url())) {
            String request = site.gateway().topics().root() + "/cmd/gateway.info";
            String replyTopic = site.gateway().topics().root() + "/reply/bench/" + UUID.randomUUID();
            String echoReplyTopic = "bench/echo/reply/" + UUID.randomUUID();
            Map<String, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
            try (RawClient operator = RawClient.connect(broker.url(), "bench-operator", false, true, m -> {
                byte[] correlation = m.getProperties() == null ? null : m.getProperties().getCorrelationData();
                if (correlation != null) {
                    CompletableFuture<byte[]> f = waiting.remove(new String(correlation, StandardCharsets.UTF_8));
                    if (f != null) {
                        f.complete(m.getPayload());
                    }
                }
            })) {
                operator.subscribe(replyTopic, 1);
                operator.subscribe(echoReplyTopic, 1);
                int warmUp = Math.min(WARM_UP, requests);
                context.say("command: %d requests to the gateway and %d to a bare echo, alternately (after %d each to warm up)",
                        requests, requests, warmUp);
                double[] latencies = new double[requests];
                double[] echoes = new double[requests];
                int failed = 0;
                for (int i = -warmUp; i < requests; i++) {
                    double gateway = roundTrip(operator, waiting, request, replyTopic);
                    // One at a time, and below a client's command rate limit (CommandAdmission.Limits).
                    Pause.millis(5);
                    double bare = roundTrip(operator, waiting, ECHO_TOPIC, echoReplyTopic);
                    Pause.millis(5);
                    if (Double.isInfinite(bare)) {
                        throw new BenchException("the bare echo did not answer within 5 s");
                    }
                    if (i >= 0) {
                        latencies[i] = gateway;
                        echoes[i] = bare;
                        failed += Double.isInfinite(gateway) ? 1 : 0;
                    }
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put(Result.BASELINE_IS, "bare MQTT 5 request/response echo p99, same broker, alternating");
                d.putAll(Results.latency(latencies));
                d.put("unanswered", failed);
                d.put("echo_p50", Results.percentile(echoes, 50));
                d.put("echo_p99", Results.percentile(echoes, 99));
                d.put("measured", "publish of the request (QoS 1, response topic + correlation data) -> reply received;"
                        + " one at a time, gateway running the demo site; both clients have TCP_NODELAY");
                return List.of(new Result("command", Results.percentile(latencies, 99), "ms",
                        Target.atMostTimesBaseline(MAX_RATIO), Results.percentile(echoes, 99), d));
            }
        }
    }

    /** One request and its reply, in ms; infinite when no reply came within 5 s. */
    private static double roundTrip(RawClient operator, Map<String, CompletableFuture<byte[]>> waiting, String topic,
            String replyTopic) throws Exception {
        String id = "bench-" + UUID.randomUUID();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        waiting.put(id, reply);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(replyTopic);
        props.setCorrelationData(id.getBytes(StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        operator.publish(topic, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), 1, props);
        try {
            byte[] payload = reply.get(5, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            if (!new String(payload, StandardCharsets.UTF_8).contains("\"ok\":true")) {
                throw new BenchException(topic + " failed: " + new String(payload, StandardCharsets.UTF_8));
            }
            return (t1 - t0) / 1e6;
        } catch (TimeoutException e) {
            waiting.remove(id);
            return Double.POSITIVE_INFINITY;
        }
    }

    /** The bare responder: answers each request at once on its response topic, QoS 1, with its correlation data. */
    static final class Echo {
        private static final byte[] REPLY = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

        private Echo() { }

        static RawClient start(String brokerUrl) throws Exception {
            RawClient[] self = new RawClient[1];
            RawClient client = RawClient.connect(brokerUrl, "bench-echo", false, true, m -> {
                MqttProperties in = m.getProperties();
                if (in != null && in.getResponseTopic() != null) {
                    MqttProperties out = new MqttProperties();
                    out.setCorrelationData(in.getCorrelationData());
                    self[0].publish(in.getResponseTopic(), REPLY, 1, out);
                }
            });
            self[0] = client;
            client.subscribe(ECHO_TOPIC, 1);
            return client;
        }
    }
}
