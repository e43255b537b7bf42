package kontor.sim.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kontor.sim.broker.BrokerUser.Role;
import org.junit.jupiter.api.Test;

class DemoBrokerLifecycleTest {

    private static final List<BrokerUser> USERS = List.of(
            new BrokerUser("gateway", "gw-secret", Role.GATEWAY),
            new BrokerUser("monitor", "demo-monitor", Role.MONITOR));

    @Test
    void two_brokers_run_side_by_side_each_with_its_own_messages() throws Exception {
        try (DemoBroker first = DemoBroker.start(Ports.freePort(), "kontor/one", USERS);
             DemoBroker second = DemoBroker.start(Ports.freePort(), "kontor/two", USERS);
             TestClient firstGateway = TestClient.connect(first, "gateway", "gw-secret");
             TestClient secondGateway = TestClient.connect(second, "gateway", "gw-secret");
             TestClient firstMonitor = TestClient.connect(first, "monitor", "demo-monitor");
             TestClient secondMonitor = TestClient.connect(second, "monitor", "demo-monitor")) {
            // Each broker lets its monitor read its own site's events (and only what that site lists for monitors).
            firstMonitor.subscribe("#");
            secondMonitor.subscribe("#");

            firstGateway.publish("kontor/one/events", "one", false);
            secondGateway.publish("kontor/two/events", "two", false);
            firstGateway.publish("kontor/two/events", "not-first's", false);

            firstMonitor.awaitMessage(m -> m.payload().equals("one"));
            secondMonitor.awaitMessage(m -> m.payload().equals("two"));
            assertThat(firstMonitor.received()).extracting(TestClient.Received::payload).containsExactly("one");
            assertThat(secondMonitor.received()).extracting(TestClient.Received::payload).containsExactly("two");
            assertThat(secondMonitor.publish("kontor/two/cmd/x", "no", false))
                    .as("the second broker enforces its own rights").isEqualTo(0x87);
        }
    }

    @Test
    void close_frees_the_port_and_removes_the_temporary_folder_even_twice() throws Exception {
        int port = Ports.freePort();
        DemoBroker broker = DemoBroker.start(port, "kontor/demo", USERS);
        Path home = temporaryFolderOf(port);
        assertThat(home).exists();

        broker.close();
        broker.close();

        assertThat(home).doesNotExist();
        try (DemoBroker again = DemoBroker.start(port, "kontor/demo", USERS);
             TestClient client = TestClient.connect(again, "monitor", "demo-monitor")) {
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void a_taken_port_gives_a_clear_error_and_leaves_nothing_behind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            long foldersBefore = brokerFolderCount();

            assertThatThrownBy(() -> DemoBroker.start(port, "kontor/demo", USERS))
                    .isInstanceOf(BrokerException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
            assertThat(brokerFolderCount()).isEqualTo(foldersBefore);
        }
    }

    @Test
    void bad_arguments_are_refused_before_anything_starts() {
        assertThatThrownBy(() -> DemoBroker.start(0, "kontor/demo", USERS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> DemoBroker.start(1883, "kontor/#", USERS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("site root");
        assertThatThrownBy(() -> DemoBroker.start(1883, "kontor/demo", List.of(
                new BrokerUser("monitor", "a", Role.MONITOR), new BrokerUser("monitor", "b", Role.OPERATOR))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void configuration_binds_loopback_in_memory_without_statistics() {
        String xml = DemoBroker.configXml(18830);
        assertThat(xml).contains("<port>18830</port>", "<bind-address>127.0.0.1</bind-address>",
                "<mode>in-memory</mode>");
        assertThat(xml).containsPattern("<anonymous-usage-statistics>\\s*<enabled>false</enabled>");
    }

    private static Path temporaryFolderOf(int port) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var folders = Files.list(tmp)) {
            return folders.filter(p -> p.getFileName().toString().startsWith("kontor-broker-"))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("conf/config.xml")).contains("<port>" + port + "</port>");
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .findFirst().orElseThrow();
        }
    }

    private static long brokerFolderCount() throws IOException {
        try (var folders = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return folders.filter(p -> p.getFileName().toString().startsWith("kontor-broker-")).count();
        }
    }
}
