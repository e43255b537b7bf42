package kontor.provisioning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto 2 whose whole security set-up is the generated {@code mosquitto/} directory, included as
 * Debian's mosquitto.conf includes conf.d: only logging (and, as root, {@code user root}) is ours.
 */
final class GeneratedBroker implements AutoCloseable {
    private final Path dir;
    private final Process process;

    GeneratedBroker(Path mosquittoDir, int port) {
        try {
            this.dir = Files.createTempDirectory("generated-broker-");
            List<String> conf = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                // As root Mosquitto drops to user 'mosquitto', which cannot read our temp dir.
                conf.add("user root");
            }
            conf.add("log_dest file " + dir.resolve("mosquitto.log"));
            conf.add("log_type error");
            conf.add("log_type warning");
            conf.add("log_type notice");
            conf.add("persistence false");
            conf.add("include_dir " + mosquittoDir.toAbsolutePath());
            Files.write(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
            process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto (apt-get install mosquitto)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!accepts(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto refused the generated configuration:\n" + logs());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("mosquitto did not listen on " + port + ":\n" + logs());
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    String logs() {
        StringBuilder out = new StringBuilder();
        for (String f : List.of("mosquitto.log", "stdout.log")) {
            try {
                if (Files.exists(dir.resolve(f))) {
                    out.append(Files.readString(dir.resolve(f)));
                }
            } catch (IOException e) {
                out.append("(cannot read ").append(f).append(")");
            }
        }
        return out.toString();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
