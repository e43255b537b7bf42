package kontor.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installer's road of docs/installer.md, through the real {@code ./kontor} launcher, on a fresh data
 * directory, against a stock Mosquitto that runs only the generated files: provision init, validate, provision
 * credentials, Mosquitto, provision install (dry run, then below a scratch root), provision cards import, and the
 * gateway on the simulated board ({@code demo --site … --mqtt …}) connected with the generated gateway credentials.
 * Mosquitto's clients (mosquitto_sub, mosquitto_rr, mosquitto_pub) check what the docs say they show.
 */
class InstallerRoadIT {
    private static final Duration STEP = Duration.ofSeconds(120);
    private static final Path ROOT = Path.of(System.getProperty("kontor.root", "..")).toAbsolutePath().normalize();
    private static final String HOST_CARD = "0A0B0C0D0E0F01";

    @TempDir
    Path work;
    private final List<Process> running = new ArrayList<>();

    record Result(int exit, String out) { }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : running.reversed()) {
            p.destroy(); // SIGTERM: the gateway puts its outputs safe and closes its database
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void a_new_site_from_the_skeleton_to_a_gateway_on_a_generated_broker() throws Exception {
        int local = freePort();
        int tls = freePort();

        // 2. Describe the site.
        ok(kontor("provision", "init", "--site-id", "acc1", "--out", "site.yaml"));
        Path site = work.resolve("site.yaml");
        assertThat(Files.readString(site)).doesNotContain("my-site");
        // The mqtt section as 'provision credentials' prints it, for a broker on this machine.
        Files.writeString(site, Files.readString(site)
                .replace("url: ssl://broker.example.org:8883", "url: tcp://127.0.0.1:" + local)
                .replace("  ca_file: secrets/ca.pem", "  # ca_file: secrets/ca.pem"));
        assertThat(ok(kontor("validate", "site.yaml"))).contains("site.yaml: ok");

        // 3. Credentials; the operators may drive the simulator, as on a test bench.
        ok(kontor("provision", "credentials", "--site", "site.yaml", "--out", "creds", "--local-port", String.valueOf(local),
                "--port", String.valueOf(tls), "--broker-host", "localhost",
                "--mosquitto-dir", work.resolve("creds/mosquitto").toString(), "--simulator"));
        Path creds = work.resolve("creds");
        assertThat(creds.resolve("users/kontor-acc1/password")).isRegularFile();

        // 4. A stock Mosquitto with the generated files only (as root it must be told to stay root to read them).
        mosquitto(creds.resolve("mosquitto"), local);

        // 5. Install: first the dry run, then below a scratch root (system commands are skipped there).
        Path root = work.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        assertThat(ok(kontor("provision", "install", "--config", "site.yaml", "--credentials", "creds", "--root", root.toString(), "--dry-run")))
                .contains("Dry run: nothing was changed.");
        assertThat(root.resolve("etc/kontor")).doesNotExist();
        ok(kontor("provision", "install", "--config", "site.yaml", "--credentials", "creds", "--root", root.toString()));
        Path installedSite = root.resolve("etc/kontor/site.yaml");
        Path data = root.resolve("var/lib/kontor");
        assertThat(root.resolve("etc/kontor/secrets/password")).hasSameTextualContentAs(creds.resolve("users/kontor-acc1/password"));

        // 6. Cards, into the fresh data directory the install made.
        Files.writeString(work.resolve("cards.csv"), "card,role\n" + HOST_CARD + ",host\n04A1B2C3D4E501,visitor\n");
        assertThat(ok(kontor("provision", "cards", "import", "--config", installedSite.toString(), "--data", data.toString(), "cards.csv")))
                .contains("Imported 2 cards");

        // The gateway, on the simulated board, with the installed site file, data and gateway password.
        String password = Files.readString(root.resolve("etc/kontor/secrets/password")).strip();
        Process gateway = start(work.resolve("gateway.log"), "demo", "--site", installedSite.toString(), "--data", data.toString(),
                "--mqtt", "tcp://127.0.0.1:" + local, "--mqtt-user", "kontor-acc1",
                "--mqtt-password-file", root.resolve("etc/kontor/secrets/password").toString(),
                "--coap-port", String.valueOf(freePort()), "--http-port", "0", "--ipp-port", "0");
        // As a person would: try it once the demo says how (its simulator subscribes to sim/ after the gateway starts).
        await().atMost(STEP).until(() -> Files.readString(work.resolve("gateway.log")).contains("Stop with Ctrl-C."));
        String monitor = Files.readString(creds.resolve("users/monitor/password")).strip();
        String operator = Files.readString(creds.resolve("users/operator/password")).strip();

        String status = ok(client(work.resolve("status.out"), "mosquitto_sub", "-p", String.valueOf(local), "-u", "monitor", "-P", monitor,
                "-t", "kontor/acc1/gateway/status", "-C", "1", "-W", "60"));
        assertThat(status).contains("\"online\"");

        // The docs' request, with the reply under the site's root, where the gateway may write.
        String reply = ok(client(work.resolve("rr.out"), "mosquitto_rr", "-p", String.valueOf(local), "-u", "operator", "-P", operator,
                "-t", "kontor/acc1/cmd/gateway.info", "-e", "kontor/acc1/reply/operator/1", "-m", "{\"id\":\"1\"}", "-W", "30"));
        assertThat(reply).contains("\"ok\":true").contains("acc1");

        // The demo's host card, printed in the docs, is unknown here; the imported host card opens the entrance.
        // (In that order: after a host's card, the entrance enrols the next unknown card.)
        Process events = startClient(work.resolve("events.out"), "mosquitto_sub", "-p", String.valueOf(local), "-u", "monitor", "-P", monitor,
                "-t", "kontor/acc1/events");
        await().atMost(STEP).until(() -> subscribed(events));
        for (String card : List.of("04A1B2C3D4E503", HOST_CARD)) {
            ok(client(work.resolve("pub.out"), "mosquitto_pub", "-p", String.valueOf(local), "-u", "operator", "-P", operator,
                    "-t", "kontor/acc1/sim/tap", "-m", "{\"reader\":\"reader-entrance\",\"card\":\"" + card + "\"}"));
            await().atMost(STEP).until(() -> Files.readString(work.resolve("events.out")).lines()
                    .anyMatch(l -> l.contains("\"card\":\"…" + card.substring(card.length() - 4) + "\"")));
        }
        List<String> seen = Files.readAllLines(work.resolve("events.out"));
        assertThat(seen).filteredOn(l -> l.contains("…0F01")).singleElement().asString()
                .contains("\"type\":\"card.granted\"").contains("\"role\":\"host\"");
        assertThat(seen).filteredOn(l -> l.contains("…E503")).singleElement().asString()
                .contains("\"type\":\"card.denied\"").contains("\"reason\":\"unknown_card\"");

        // The password is in no command line and no output of the gateway.
        String commandLine = Files.readString(Path.of("/proc", String.valueOf(gateway.pid()), "cmdline")).replace('\0', ' ');
        assertThat(commandLine).contains("--mqtt-password-file").doesNotContain(password);
        String log = Files.readString(work.resolve("gateway.log"));
        assertThat(log).contains("Kontor demo — site 'acc1'").doesNotContain(password)
                .doesNotContain("demo-operator").doesNotContain("demo-monitor");
        // Nor did the demo put its console logins (known passwords) into this real data directory.
        assertThat(data.resolve("console-users")).doesNotExist();
    }

    /** Whether mosquitto_sub's subscription is in place: it prints nothing until then, so ask the broker's log. */
    private boolean subscribed(Process client) throws IOException {
        return client.isAlive() && Files.readString(work.resolve("broker/mosquitto.log")).contains("kontor/acc1/events");
    }

    private void mosquitto(Path generated, int port) throws Exception {
        Path dir = Files.createDirectories(work.resolve("broker"));
        List<String> conf = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            conf.add("user root");
        }
        conf.addAll(List.of("log_dest file " + dir.resolve("mosquitto.log"), "log_type all", "persistence false",
                "include_dir " + generated));
        Files.write(dir.resolve("mosquitto.conf"), conf);
        Process p = new ProcessBuilder("/usr/sbin/mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        running.add(p);
        await().atMost(STEP).until(() -> {
            assertThat(p.isAlive()).as("mosquitto refused the generated files: %s", Files.readString(dir.resolve("stdout.log"))).isTrue();
            return accepts(port);
        });
    }

    private Result kontor(String... args) throws Exception {
        return run(work.resolve("kontor.out"), command(args));
    }

    private Process start(Path output, String... args) throws IOException {
        Process p = builder(command(args)).redirectOutput(output.toFile()).start();
        running.add(p);
        return p;
    }

    private Process startClient(Path output, String... command) throws IOException {
        Process p = builder(List.of(command)).redirectOutput(output.toFile()).start();
        running.add(p);
        return p;
    }

    private Result client(Path output, String... command) throws Exception {
        return run(output, List.of(command));
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("kontor").toString()));
        command.addAll(List.of(args));
        return command;
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put("KONTOR_NO_BUILD", "1"); // this build is the one to run
        pb.environment().remove("KONTOR_MQTT_PASSWORD");
        return pb;
    }

    private Result run(Path output, List<String> command) throws Exception {
        Process p = builder(command).redirectOutput(output.toFile()).start();
        if (!p.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish: " + Files.readString(output));
        }
        return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static String ok(Result r) {
        assertThat(r.exit()).as(r.out()).isZero();
        return r.out();
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
