package kontor.http;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kontor.tls.PemTls;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one embedded HTTP server. It may listen on several addresses (plain HTTP on
 * loopback for the demo, HTTPS with the site's certificate in production) and serves every route
 * on each of them: {@code /ipp/…} to the print queue, {@code /} to the console, and so on.
 *
 * <p>Small by design, for a Pi: a bounded thread pool, one acceptor and one selector per listener,
 * short idle timeouts so a client that stalls mid-upload lets go of its thread, and no server
 * version in answers. Handlers run on its threads, never on the site thread: whatever they need
 * from the site they ask through the command layer or read from published state.
 */
public final class HttpFront implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpFront.class);

    /** How long a connection may say nothing before it is closed (a stalled upload included). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Threads at most: enough for a site's hosts and visitors' phones; requests queue beyond that. */
    public static final int MAX_THREADS = 16;

    /** Where to listen. {@code tls} null means plain HTTP, which only a loopback address may use. */
    public record Listener(String host, int port, Tls tls) {
        public Listener {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
            }
        }

        public static Listener plain(String host, int port) {
            return new Listener(host, port, null);
        }

        public static Listener tls(String host, int port, Tls tls) {
            return new Listener(host, port, Objects.requireNonNull(tls, "tls"));
        }
    }

    /** The server's certificate chain and its PKCS#8 key, in PEM (what {@code kontor provision credentials} writes). */
    public record Tls(Path certFile, Path keyFile) {
        public Tls {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
        }
    }

    private final Server server;
    private final List<ServerConnector> connectors = new ArrayList<>();
    private final List<Listener> listeners;

    private HttpFront(List<Listener> listeners, Map<String, Handler> routes) {
        this.listeners = List.copyOf(listeners);
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("kontor-http");
        threads.setDaemon(true);
        server = new Server(threads);
        server.setStopTimeout(2_000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.setRequestHeaderSize(8 * 1024);
        for (Listener l : listeners) {
            ServerConnector connector;
            if (l.tls() == null) {
                if (!isLoopback(l.host())) {
                    throw new IllegalArgumentException("plain HTTP only on a loopback address, not on " + l.host()
                            + ": give the listener the site's certificate (https)");
                }
                connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
            } else {
                HttpConfiguration https = new HttpConfiguration(http);
                SecureRequestCustomizer secure = new SecureRequestCustomizer();
                // Visitors and hosts reach the Pi by its address as often as by a name the certificate holds.
                secure.setSniHostCheck(false);
                https.addCustomizer(secure);
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setKeyStore(PemTls.keyStore(l.tls().certFile(), l.tls().keyFile(), PemTls.TRANSIENT_PASSWORD.clone()));
                ssl.setKeyStorePassword(new String(PemTls.TRANSIENT_PASSWORD));
                // TLS 1.2 only: CUPS 2.4.1/2.4.2 (Debian 12, Ubuntu 22.04), the IPP client of Linux laptops and of
                // ipptool, never reads an answer over TLS 1.3 from this server and resends its request for ever
                // (PrintIppsTest shows it). Every browser and phone speaks TLS 1.2; Jetty's defaults leave out the weak
                // suites (RSA key exchange, SHA-1, NULL, anonymous).
                ssl.setIncludeProtocols("TLSv1.2");
                connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"),
                        new HttpConnectionFactory(https));
            }
            connector.setHost(l.host());
            connector.setPort(l.port());
            connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            connector.setName(l.host() + ":" + l.port());
            server.addConnector(connector);
            connectors.add(connector);
        }
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        routes.forEach((path, handler) -> contexts.addHandler(new ContextHandler(handler, path)));
        server.setHandler(contexts);
    }

    /**
     * Starts serving {@code routes} (context path → handler, e.g. {@code "/ipp"}, {@code "/"}) on
     * every listener. A port of 0 takes a free one; {@link #urls()} says which.
     *
     * @throws IllegalStateException with a clear sentence when a port is taken or TLS cannot be set up
     */
    public static HttpFront start(List<Listener> listeners, Map<String, Handler> routes) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listener");
        }
        HttpFront front = new HttpFront(listeners, new LinkedHashMap<>(routes));
        try {
            front.server.start();
        } catch (Exception e) {
            front.close();
            throw new IllegalStateException("the HTTP server could not listen on " + front.describe() + ": " + e.getMessage(), e);
        }
        log.info("HTTP on {}", front.urls());
        return front;
    }

    /** Where it listens, with the ports actually bound: {@code http://127.0.0.1:8080/}, {@code https://…}. */
    public List<URI> urls() {
        List<URI> urls = new ArrayList<>();
        for (int i = 0; i < connectors.size(); i++) {
            Listener l = listeners.get(i);
            String host = l.host().contains(":") ? "[" + l.host() + "]" : l.host();
            urls.add(URI.create((l.tls() == null ? "http" : "https") + "://" + host + ":" + connectors.get(i).getLocalPort() + "/"));
        }
        return urls;
    }

    private String describe() {
        return listeners.stream().map(l -> l.host() + ":" + l.port()).toList().toString();
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("The HTTP server did not stop cleanly: {}", e.toString());
        }
    }

    /** The connectors, for tests that need to know what Jetty made of the listeners. */
    List<Connector> connectors() {
        return List.copyOf(connectors);
    }
}
