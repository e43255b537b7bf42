package kontor.sim.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's MQTT 5 broker: HiveMQ CE embedded, on 127.0.0.1 only, in-memory, no usage statistics, with
 * {@link BrokerUser}s as the only way in. Its configuration lives in a private temporary folder that
 * {@link #close()} removes.
 */
public final class DemoBroker implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    private static final Logger log = LoggerFactory.getLogger(DemoBroker.class);
    private static final long START_TIMEOUT_SECONDS = 30;
    /** HiveMQ's extension SDK keeps its services in statics: two brokers must not start at the same moment. */
    private static final Object START_LOCK = new Object();
    /** Loggers that chatter at INFO on every start and stop; the demo console is for the demo. */
    private static final List<String> CHATTY_LOGGERS = List.of("com.hivemq", "migrations", "jetbrains.exodus", "oshi", "org.rocksdb");

    private final int port;
    private final Path home;
    private final EmbeddedHiveMQ hivemq;
    private boolean closed;

    private DemoBroker(int port, Path home, EmbeddedHiveMQ hivemq) {
        this.port = port;
        this.home = home;
        this.hivemq = hivemq;
    }

    /**
     * Starts a broker on 127.0.0.1:{@code port} and returns once it accepts connections.
     *
     * @param siteRoot the site's topic root, e.g. {@code kontor/demo}; operators may publish only below its
     *                 {@code cmd/} and {@code sim/}
     * @throws BrokerException if it cannot start, e.g. the port is taken; nothing is left behind
     */
    public static DemoBroker start(int port, String siteRoot, List<BrokerUser> users) throws BrokerException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the MQTT port must be between 1 and 65535, not " + port);
        }
        TopicRights rights = new TopicRights(siteRoot);
        Objects.requireNonNull(users, "users");
        requireDistinctNames(users);
        quietChattyLoggers();

        Path home = createHome(port);
        EmbeddedHiveMQ hivemq = null;
        try {
            AccessControlExtension accessControl = new AccessControlExtension(users, rights);
            hivemq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(home.resolve("conf"))
                    .withDataFolder(home.resolve("data"))
                    .withExtensionsFolder(home.resolve("extensions"))
                    .withEmbeddedExtension(EmbeddedExtension.builder()
                            .withId("kontor-access-control")
                            .withName("Kontor demo access control")
                            .withVersion("1")
                            .withAuthor("Kontor")
                            .withExtensionMain(accessControl)
                            .build())
                    // HiveMQ's logging bootstrap would reset the application's logback and reroute java.util.logging.
                    .withoutLoggingBootstrap()
                    .build();
            long startedAt = System.nanoTime();
            synchronized (START_LOCK) {
                hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            if (!accessControl.isActive()) {
                throw new BrokerException("the MQTT broker started without its access control; refusing to run it open");
            }
            log.debug("MQTT broker on {}:{} started in {} ms", HOST, port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
            return new DemoBroker(port, home, hivemq);
        } catch (BrokerException e) {
            abandon(hivemq, home);
            throw e;
        } catch (ExecutionException e) {
            abandon(hivemq, home);
            // HiveMQ reports a taken port only as an UnrecoverableException without a message (and two ERROR lines).
            throw new BrokerException("the MQTT broker could not start on " + HOST + ":" + port
                    + " (" + rootMessage(e) + "); is the port already in use?", e.getCause());
        } catch (TimeoutException e) {
            abandon(hivemq, home);
            throw new BrokerException("the MQTT broker did not start within " + START_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(hivemq, home);
            throw new BrokerException("interrupted while starting the MQTT broker", e);
        } catch (RuntimeException e) {
            abandon(hivemq, home);
            throw new BrokerException("the MQTT broker could not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:PORT}, for an MQTT client. */
    public String serverUri() {
        return "tcp://" + HOST + ":" + port;
    }

    /** Stops the broker, frees its port and removes its temporary folder. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(hivemq);
        deleteRecursively(home);
    }

    private static void requireDistinctNames(List<BrokerUser> users) {
        Set<String> names = new HashSet<>();
        for (BrokerUser user : users) {
            Objects.requireNonNull(user, "users must not contain null");
            if (!names.add(user.username())) {
                throw new IllegalArgumentException("broker user '" + user.username() + "' is listed twice");
            }
        }
    }

    private static Path createHome(int port) throws BrokerException {
        try {
            Path home = Files.createTempDirectory("kontor-broker-");
            Files.createDirectories(home.resolve("conf"));
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("extensions"));
            Files.writeString(home.resolve("conf").resolve("config.xml"), configXml(port), StandardCharsets.UTF_8);
            return home;
        } catch (IOException e) {
            throw new BrokerException("cannot create the MQTT broker's temporary folder: " + e.getMessage(), e);
        }
    }

    static String configXml(int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <name>kontor-demo</name>
                        </tcp-listener>
                    </listeners>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, HOST);
    }

    /** Sets WARN only on loggers the application's own logback configuration left unset. */
    private static void quietChattyLoggers() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            for (String name : CHATTY_LOGGERS) {
                ch.qos.logback.classic.Logger logger = context.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(Level.WARN);
                }
            }
        }
    }

    private static void abandon(EmbeddedHiveMQ hivemq, Path home) {
        if (hivemq != null) {
            stop(hivemq);
        }
        deleteRecursively(home);
    }

    private static void stop(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.close();
        } catch (ExecutionException | RuntimeException e) {
            log.warn("the MQTT broker did not stop cleanly: {}", rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while stopping the MQTT broker");
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not remove the MQTT broker's temporary folder {}: {}", root, e.getMessage());
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getClass().getSimpleName() + ": " + root.getMessage()
                : root.getClass().getSimpleName();
    }
}
