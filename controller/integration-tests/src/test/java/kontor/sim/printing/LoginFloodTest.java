package kontor.sim.printing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hp.jipp.encoding.IppPacket;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import kontor.console.Accounts;
import kontor.console.Console;
import kontor.console.Role;
import kontor.http.HttpFront;
import kontor.sim.demo.SimulatedSite;
import kontor.site.Site;
import kontor.testing.InMemoryMqtt;
import kontor.testing.IppEvePrinter;
import kontor.time.SimulatedTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stranger on the Wi-Fi floods the print queue with wrong log-ins (a new made-up print name each time, so that no
 * name is ever locked out), from one address (127.0.0.2), as fast as the gateway answers. Meanwhile a visitor's
 * ipptool (from 127.0.0.1) lists their jobs, and a host logs in to the console: both get through, and the flood is
 * refused (503, "busy") beyond its share instead of queueing for the hashing slot.
 */
class LoginFloodTest {
    private static final String PASSWORD = "a long passphrase";
    private static final Path IPPTOOL = Path.of("/usr/bin/ipptool");

    @TempDir
    Path dir;

    @Test
    void a_flood_of_wrong_pins_from_one_address_takes_neither_the_queue_from_others_nor_the_console_log_in() throws Exception {
        assertThat(IPPTOOL).as("ipptool (apt-get install cups-ipp-utils)").exists();
        Path data = dir.resolve("data");
        Accounts accounts = new Accounts(data);
        accounts.put("anna", Role.HOST, PASSWORD.toCharArray());
        try (IppEvePrinter printer = IppEvePrinter.start()) {
            Site site = PrintSites.demo(printer.uri());
            SimulatedTime time = SimulatedTime.frozen(PrintSites.TUESDAY_9.atZone(site.zone()).toInstant());
            InMemoryMqtt mqtt = new InMemoryMqtt();
            SimulatedSite world = SimulatedSite.start(site, data, time, time, will -> mqtt, null, true,
                    kontor.time.ClockSync.ALWAYS, List.of(HttpFront.Listener.plain("127.0.0.1", 0)),
                    new Console(accounts, true));
            Map<Integer, AtomicInteger> flood = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            try (ExecutorService attacker = Executors.newVirtualThreadPerTaskExecutor();
                    HttpClient stranger = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .localAddress(InetAddress.getByName("127.0.0.2")).build()) {
                int port = world.gateway().http().urls().getFirst().getPort();
                byte[] getJobs = PrintSites.encode(IppPacket.getJobs(PrintSites.ippQueue(port)).setRequestId(1).build());
                AtomicLong names = new AtomicLong();
                for (int i = 0; i < 12; i++) {
                    attacker.submit(() -> {
                        while (!stop.get()) {
                            HttpResponse<byte[]> answer = stranger.send(HttpRequest.newBuilder(PrintSites.httpQueue(port))
                                    .header("Content-Type", "application/ipp")
                                    .header("Authorization", PrintSites.basic("guess" + names.incrementAndGet(), "0000"))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(getJobs)).build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            flood.computeIfAbsent(answer.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        }
                        return null;
                    });
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> count(flood, 401) >= 3 && count(flood, 503) >= 3);

                // The visitor's own client, from another address, with the right PIN: not refused, and it lists.
                Run jobs = ipptool(URI.create("ipp://demo:1234@127.0.0.1:" + port + "/ipp/print"), "get-jobs.test");
                assertThat(jobs.exit()).as(jobs.output()).isZero();
                assertThat(jobs.output()).doesNotContain("server-error-busy", "not-authorized");

                // The host logs in to the console: its hashing is not the queue's.
                try (HttpClient host = HttpClient.newHttpClient()) {
                    HttpResponse<String> login = host.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("user=anna&password="
                                    + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(login.statusCode()).as("logged in").isEqualTo(303);
                }
                stop.set(true);
                attacker.shutdown();
                assertThat(attacker.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                stop.set(true);
                world.close();
                time.close();
            }
            assertThat(flood.keySet()).as("the flood got wrong-PIN answers and busy refusals, nothing else")
                    .containsOnly(401, 503);
        }
    }

    private static int count(Map<Integer, AtomicInteger> counts, int status) {
        AtomicInteger n = counts.get(status);
        return n == null ? 0 : n.get();
    }

    private record Run(int exit, String output) { }

    private Run ipptool(URI uri, String test) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(IPPTOOL.toString(), "-tv", "-T", "30", uri.toString(),
                "/usr/share/cups/ipptool/" + test));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }
}
