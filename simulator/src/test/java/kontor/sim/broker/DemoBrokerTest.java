package kontor.sim.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kontor.sim.broker.BrokerUser.Role;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoBrokerTest {

    private static final String ROOT = "kontor/demo";
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;

    private static DemoBroker broker;

    @BeforeAll
    static void startBroker() throws BrokerException {
        broker = DemoBroker.start(Ports.freePort(), ROOT, List.of(
                new BrokerUser("gateway", "gw-secret", Role.GATEWAY),
                new BrokerUser("operator", "demo-operator", Role.OPERATOR),
                new BrokerUser("monitor", "demo-monitor", Role.MONITOR)));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** A topic of its own per test, so tests sharing the broker never see each other's messages. */
    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void operator_command_reaches_the_gateway() throws Exception {
        String topic = ROOT + "/cmd/" + unique("gateway.info");
        try (TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret");
             TestClient operator = TestClient.connect(broker, "operator", "demo-operator")) {
            gateway.subscribe(ROOT + "/cmd/#");

            assertThat(operator.publish(topic, "{\"id\":\"1\"}", false)).isZero();

            assertThat(gateway.awaitMessage(m -> m.topic().equals(topic)).payload()).isEqualTo("{\"id\":\"1\"}");
        }
    }

    @Test
    void monitor_publish_is_refused_and_never_delivered() throws Exception {
        String topic = ROOT + "/cmd/" + unique("gateway.info");
        try (TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret");
             TestClient monitor = TestClient.connect(broker, "monitor", "demo-monitor");
             TestClient operator = TestClient.connect(broker, "operator", "demo-operator")) {
            gateway.subscribe(topic);

            assertThat(monitor.publish(topic, "from-monitor", false)).isEqualTo(NOT_AUTHORIZED);
            operator.publish(topic, "marker", false);

            gateway.awaitMessage(m -> m.payload().equals("marker"));
            assertThat(gateway.received()).extracting(TestClient.Received::payload).containsExactly("marker");
            assertThat(monitor.isConnected()).as("a refused publish does not cost the connection").isTrue();
        }
    }

    @Test
    void operator_may_not_publish_gateway_topics() throws Exception {
        String eventTopic = ROOT + "/alarms/" + unique("forged");
        try (TestClient monitor = TestClient.connect(broker, "monitor", "demo-monitor");
             TestClient operator = TestClient.connect(broker, "operator", "demo-operator");
             TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret")) {
            monitor.subscribe(eventTopic);

            assertThat(operator.publish(eventTopic, "forged", true)).isEqualTo(NOT_AUTHORIZED);
            gateway.publish(eventTopic, "genuine", false);

            monitor.awaitMessage(m -> m.payload().equals("genuine"));
            assertThat(monitor.received()).extracting(TestClient.Received::payload).containsExactly("genuine");
        }
    }

    @Test
    void operator_may_drive_the_simulator() throws Exception {
        String topic = ROOT + "/sim/" + unique("tap");
        try (TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret");
             TestClient operator = TestClient.connect(broker, "operator", "demo-operator")) {
            gateway.subscribe(topic);

            assertThat(operator.publish(topic, "{\"reader\":\"reader-room-1\"}", false)).isZero();

            gateway.awaitMessage(m -> m.topic().equals(topic));
        }
    }

    @Test
    void operator_may_publish_home_assistant_status_as_home_assistant_does() throws Exception {
        // Known bug: the CHANGELOG said so, TopicRights said so, but HiveMQ's default permissions refused it.
        try (TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret");
             TestClient operator = TestClient.connect(broker, "operator", "demo-operator")) {
            gateway.subscribe("homeassistant/status");
            assertThat(operator.publish("homeassistant/status", "online", false)).isZero();
            gateway.awaitMessage(m -> m.topic().equals("homeassistant/status") && m.payload().equals("online"));
        }
    }

    @Test
    void only_the_gateway_may_use_the_gateway_client_id() throws Exception {
        // Issue 14.3: a monitor connecting as kontor-demo knocked the gateway off the broker, again and again.
        Process sub = new ProcessBuilder("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1",
                "-p", String.valueOf(java.net.URI.create(broker.serverUri()).getPort()), "-i", "kontor-demo", "-u", "monitor", "-P", "demo-monitor",
                "-t", ROOT + "/events", "-C", "1", "-W", "10").redirectErrorStream(true).start();
        String out = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sub.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(sub.exitValue()).as(out).isNotZero();
        assertThat(out).containsIgnoringCase("client identifier not valid");
    }

    @Test
    void a_monitor_reads_states_and_events_but_never_command_traffic() throws Exception {
        // Issue 14.2: the monitor subscribed to # and read full card numbers in card.enroll and sim/tap.
        String marker = unique("marker");
        try (TestClient monitor = TestClient.connect(broker, "monitor", "demo-monitor");
             TestClient operator = TestClient.connect(broker, "operator", "demo-operator");
             TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret")) {
            monitor.subscribe("#");
            operator.publish(ROOT + "/cmd/card.enroll", "{\"id\":\"1\",\"card\":\"04A1B2C3D4E501\"}", false);
            operator.publish(ROOT + "/sim/tap", "{\"reader\":\"reader-room-1\",\"card\":\"04A1B2C3D4E501\"}", false);
            gateway.publish(ROOT + "/cmd/card.enroll/reply", "{\"id\":\"1\",\"ok\":true}", false);
            gateway.publish(ROOT + "/reply/operator/1", "{\"id\":\"1\",\"ok\":true}", false);
            gateway.publish(ROOT + "/rooms/room-1/state", "{\"status\":\"free\"}", false);
            gateway.publish("homeassistant/sensor/kontor_demo/occupancy/config", "{}", false);
            gateway.publish(ROOT + "/events", marker, false);

            monitor.awaitMessage(m -> m.payload().equals(marker));
            // Other tests' retained messages arrive too, on subscribing to #: only the live ones are this test's.
            assertThat(monitor.received()).filteredOn(m -> !m.retained()).extracting(TestClient.Received::topic).containsExactly(
                    ROOT + "/rooms/room-1/state", "homeassistant/sensor/kontor_demo/occupancy/config", ROOT + "/events");
        }
    }

    @Test
    void mosquitto_sub_as_monitor_gets_no_retained_command_traffic() throws Exception {
        String hidden = ROOT + "/reply/" + unique("operator");
        String shown = ROOT + "/rooms/" + unique("room") + "/state";
        try (TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret")) {
            gateway.publish(hidden, "{\"card\":\"04A1B2C3D4E501\"}", true);
            gateway.publish(shown, "{\"status\":\"free\"}", true);
        }
        // The forbidden topic is subscribed first, so its retained message would come first: -C 1 prints it.
        Process sub = new ProcessBuilder("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-u", "monitor", "-P", "demo-monitor", "-t", hidden, "-t", shown, "-v", "-C", "1", "-W", "10")
                .redirectErrorStream(true).start();
        try {
            assertThat(sub.waitFor(15, TimeUnit.SECONDS)).as("mosquitto_sub finished").isTrue();
            String output = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output.strip()).isEqualTo(shown + " {\"status\":\"free\"}");
        } finally {
            sub.destroyForcibly();
        }
    }

    @Test
    void an_operator_may_not_retain_a_command_or_simulator_input() throws Exception {
        // Issue 14.5: a retained sim/fire raised the fire alarm again on every reconnect.
        String fire = ROOT + "/sim/" + unique("fire");
        try (TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret");
             TestClient operator = TestClient.connect(broker, "operator", "demo-operator")) {
            gateway.subscribe(ROOT + "/#");
            assertThat(operator.publish(fire, "{\"active\":true}", true)).isEqualTo(NOT_AUTHORIZED);
            assertThat(operator.publish(ROOT + "/cmd/" + unique("member.credit"), "{\"id\":\"1\"}", true)).isEqualTo(NOT_AUTHORIZED);
            assertThat(operator.publish(fire, "marker", false)).isZero();
            gateway.awaitMessage(m -> m.payload().equals("marker"));
            assertThat(gateway.received()).extracting(TestClient.Received::payload).containsExactly("marker");
            assertThat(operator.isConnected()).isTrue();
        }
    }

    @Test
    void monitor_cannot_smuggle_a_command_in_as_its_last_will() {
        assertThatThrownBy(() -> TestClient.connect(broker, "monitor", "demo-monitor", ROOT + "/cmd/locker.open"))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    }

    @Test
    void wrong_password_is_refused() {
        assertThatThrownBy(() -> TestClient.connect(broker, "operator", "demo-monitor"))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void unknown_user_is_refused() {
        assertThatThrownBy(() -> TestClient.connect(broker, "mallory", "demo-operator"))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void anonymous_client_is_refused() {
        assertThatThrownBy(() -> TestClient.connect(broker, null, null))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    }

    @Test
    void retained_message_reaches_a_later_subscriber() throws Exception {
        String topic = ROOT + "/devices/" + unique("door") + "/state";
        try (TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret")) {
            gateway.publish(topic, "{\"locked\":true}", true);
        }
        try (TestClient monitor = TestClient.connect(broker, "monitor", "demo-monitor")) {
            monitor.subscribe(topic);

            TestClient.Received state = monitor.awaitMessage(m -> m.topic().equals(topic));
            assertThat(state.payload()).isEqualTo("{\"locked\":true}");
            assertThat(state.retained()).isTrue();
        }
    }

    @Test
    void request_keeps_response_topic_and_correlation_data_and_the_reply_gets_back() throws Exception {
        String command = ROOT + "/cmd/" + unique("gateway.info");
        String replyTopic = unique("reply");
        byte[] correlation = {1, 2, 3, (byte) 0xFF};
        try (TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret");
             TestClient operator = TestClient.connect(broker, "operator", "demo-operator")) {
            gateway.subscribe(command);
            operator.subscribe(replyTopic);
            MqttProperties request = new MqttProperties();
            request.setResponseTopic(replyTopic);
            request.setCorrelationData(correlation);

            operator.publish(command, "{\"id\":\"r1\"}", false, request);
            MqttProperties arrived = gateway.awaitMessage(m -> m.topic().equals(command)).properties();
            assertThat(arrived.getResponseTopic()).isEqualTo(replyTopic);
            assertThat(arrived.getCorrelationData()).containsExactly(correlation);

            MqttProperties reply = new MqttProperties();
            reply.setCorrelationData(arrived.getCorrelationData());
            assertThat(gateway.publish(arrived.getResponseTopic(), "{\"id\":\"r1\",\"ok\":true}", false, reply)).isZero();
            TestClient.Received answer = operator.awaitMessage(m -> m.topic().equals(replyTopic));
            assertThat(answer.properties().getCorrelationData()).containsExactly(correlation);
        }
    }

    @Test
    void mosquitto_sub_reads_a_retained_message_as_monitor() throws Exception {
        String topic = ROOT + "/devices/" + unique("gateway") + "/availability";
        try (TestClient gateway = TestClient.connect(broker, "gateway", "gw-secret")) {
            gateway.publish(topic, "{\"state\":\"online\"}", true);
        }
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-u", "monitor", "-P", "demo-monitor", "-V", "mqttv5", "-t", topic, "-C", "1", "-W", "10")
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(sub.waitFor(15, TimeUnit.SECONDS)).as("mosquitto_sub finished").isTrue();
            String output = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output.strip()).isEqualTo("{\"state\":\"online\"}");
            assertThat(sub.exitValue()).isZero();
        } finally {
            sub.destroyForcibly();
        }
    }

    @Test
    void mosquitto_sub_with_a_wrong_password_is_refused() throws IOException, InterruptedException {
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-u", "monitor", "-P", "wrong", "-t", "#", "-C", "1", "-W", "10")
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(sub.waitFor(15, TimeUnit.SECONDS)).isTrue();
            String output = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sub.exitValue()).isNotZero();
            assertThat(output).containsIgnoringCase("password");
        } finally {
            sub.destroyForcibly();
        }
    }

    @Test
    void listens_on_loopback_only() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(external.get(), broker.port()), 2000))
                    .isInstanceOf(IOException.class);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
