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
 */
final class CommandRoundTrip implements Figure {
    static final double TARGET_MS = 10;
    private static final int WARM_UP = 100;

    @Override
    public String name() {
        return "command";
    }

    @Override
    public String description() {
        return "gateway.info request -> reply through Mosquitto";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        int requests = context.settings().scaled(500, 10);
        try (Mosquitto broker = Mosquitto.start(context.directory("command-broker"));
             BenchSite site = BenchSite.demo(context.directory("command-data"), broker.url())) {
            String request = site.gateway().topics().root() + "/cmd/gateway.info";
            String replyTopic = site.gateway().topics().root() + "/reply/bench/" + UUID.randomUUID();
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
                int warmUp = Math.min(WARM_UP, requests);
                context.say("command: %d requests (after %d to warm up)", requests, warmUp);
                double[] latencies = new double[requests];
                int failed = 0;
                for (int i = -warmUp; i < requests; i++) {
                    String id = "bench-" + UUID.randomUUID();
                    CompletableFuture<byte[]> reply = new CompletableFuture<>();
                    waiting.put(id, reply);
                    MqttProperties props = new MqttProperties();
                    props.setResponseTopic(replyTopic);
                    props.setCorrelationData(id.getBytes(StandardCharsets.UTF_8));
                    long t0 = System.nanoTime();
                    operator.publish(request, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), 1, props);
                    try {
                        byte[] payload = reply.get(5, TimeUnit.SECONDS);
                        long t1 = System.nanoTime();
                        if (!new String(payload, StandardCharsets.UTF_8).contains("\"ok\":true")) {
                            throw new BenchException("gateway.info failed: " + new String(payload, StandardCharsets.UTF_8));
                        }
                        if (i >= 0) {
                            latencies[i] = (t1 - t0) / 1e6;
                        }
                    } catch (TimeoutException e) {
                        waiting.remove(id);
                        failed++;
                        if (i >= 0) {
                            latencies[i] = Double.POSITIVE_INFINITY;
                        }
                    }
                    // One at a time, and below a client's command rate limit (CommandAdmission.Limits).
                    Pause.millis(5);
                }
                Map<String, Object> d = new LinkedHashMap<>(Results.latency(latencies));
                d.put("unanswered", failed);
                d.put("measured", "publish of the request (QoS 1, response topic + correlation data) -> reply received;"
                        + " one at a time, gateway running the demo site; the operator's client has TCP_NODELAY");
                return List.of(new Result("command", Results.percentile(latencies, 99), "ms", Target.atMost(TARGET_MS), d));
            }
        }
    }
}
