package kontor.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How the gateway reaches its broker. Immutable and checked once, here.
 *
 * @param serverUri       {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId        the MQTT client identifier (1..128 characters)
 * @param username        null for anonymous
 * @param password        null for none; never logged
 * @param caFile          PEM certificates that may sign the broker's certificate; null uses the JDK's trust store.
 *                        TLS always verifies the certificate chain and the host name.
 * @param clientCertFile  PEM client certificate chain for mutual TLS, or null
 * @param clientKeyFile   PEM PKCS#8 private key of {@code clientCertFile}, or null
 * @param willTopic       last will topic, or null for no will
 * @param willPayload     last will payload
 * @param willRetained    whether the broker retains the last will
 * @param keepAlive       MQTT keep-alive interval
 * @param connectTimeout  how long one connect attempt may take up to CONNACK
 * @param minBackoff      first delay between connect attempts
 * @param maxBackoff      longest delay between connect attempts
 * @param maxInflight     most unacknowledged QoS 1/2 publishes we keep in flight (the broker's receive maximum may lower it)
 */
public record MqttSettings(URI serverUri, String clientId, String username, char[] password,
                           Path caFile, Path clientCertFile, Path clientKeyFile,
                           String willTopic, byte[] willPayload, boolean willRetained,
                           Duration keepAlive, Duration connectTimeout,
                           Duration minBackoff, Duration maxBackoff, int maxInflight) {

    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_INFLIGHT = 100;

    public MqttSettings {
        Objects.requireNonNull(serverUri, "serverUri");
        String scheme = serverUri.getScheme();
        if (!"tcp".equals(scheme) && !"ssl".equals(scheme)) {
            throw new IllegalArgumentException("MQTT server must be tcp://host:port or ssl://host:port, not " + serverUri);
        }
        if (serverUri.getHost() == null || serverUri.getHost().isBlank()) {
            throw new IllegalArgumentException("MQTT server " + serverUri + " has no host");
        }
        if (clientId == null || clientId.isBlank() || clientId.length() > 128) {
            throw new IllegalArgumentException("MQTT client id must have 1 to 128 characters");
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("an MQTT password needs a username");
        }
        if ((clientCertFile == null) != (clientKeyFile == null)) {
            throw new IllegalArgumentException("a TLS client certificate needs its key, and a key its certificate");
        }
        if (!"ssl".equals(scheme) && (caFile != null || clientCertFile != null)) {
            throw new IllegalArgumentException("TLS files are given but the MQTT server " + serverUri + " is not ssl://");
        }
        if (willTopic != null && (willTopic.isEmpty() || willTopic.contains("+") || willTopic.contains("#"))) {
            throw new IllegalArgumentException("last will topic must be a topic name without wildcards");
        }
        willPayload = willPayload == null ? new byte[0] : willPayload.clone();
        password = password == null ? null : password.clone();
        keepAlive = positive(keepAlive == null ? DEFAULT_KEEP_ALIVE : keepAlive, "keepAlive");
        connectTimeout = positive(connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout, "connectTimeout");
        minBackoff = positive(minBackoff == null ? DEFAULT_MIN_BACKOFF : minBackoff, "minBackoff");
        maxBackoff = positive(maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be shorter than minBackoff");
        }
        if (maxInflight < 1 || maxInflight > 65535) {
            throw new IllegalArgumentException("maxInflight must be 1..65535");
        }
    }

    private static Duration positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    public boolean tls() {
        return "ssl".equals(serverUri.getScheme());
    }

    @Override
    public char[] password() {
        return password == null ? null : password.clone();
    }

    @Override
    public byte[] willPayload() {
        return willPayload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttSettings s && serverUri.equals(s.serverUri) && clientId.equals(s.clientId)
                && Objects.equals(username, s.username) && Arrays.equals(password, s.password)
                && Objects.equals(caFile, s.caFile) && Objects.equals(clientCertFile, s.clientCertFile)
                && Objects.equals(clientKeyFile, s.clientKeyFile) && Objects.equals(willTopic, s.willTopic)
                && Arrays.equals(willPayload, s.willPayload) && willRetained == s.willRetained
                && keepAlive.equals(s.keepAlive) && connectTimeout.equals(s.connectTimeout)
                && minBackoff.equals(s.minBackoff) && maxBackoff.equals(s.maxBackoff) && maxInflight == s.maxInflight;
    }

    @Override
    public int hashCode() {
        return Objects.hash(serverUri, clientId, username, caFile, willTopic);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "MqttSettings[" + serverUri + ", clientId=" + clientId
                + (username == null ? "" : ", username=" + username + ", password=" + (password == null ? "none" : "***"))
                + (willTopic == null ? "" : ", will=" + willTopic) + "]";
    }

    public static Builder builder(String serverUri, String clientId) {
        return new Builder(serverUri, clientId);
    }

    /** Fills in the defaults; {@link #build()} checks everything at once. */
    public static final class Builder {
        private final String serverUri;
        private final String clientId;
        private String username;
        private char[] password;
        private Path caFile;
        private Path clientCertFile;
        private Path clientKeyFile;
        private String willTopic;
        private byte[] willPayload;
        private boolean willRetained;
        private Duration keepAlive;
        private Duration connectTimeout;
        private Duration minBackoff;
        private Duration maxBackoff;
        private int maxInflight = DEFAULT_MAX_INFLIGHT;

        private Builder(String serverUri, String clientId) {
            this.serverUri = serverUri;
            this.clientId = clientId;
        }

        public Builder credentials(String username, char[] password) {
            this.username = username;
            this.password = password == null ? null : password.clone();
            return this;
        }

        public Builder trust(Path caFile) {
            this.caFile = caFile;
            return this;
        }

        public Builder clientCertificate(Path certFile, Path keyFile) {
            this.clientCertFile = certFile;
            this.clientKeyFile = keyFile;
            return this;
        }

        public Builder will(String topic, byte[] payload, boolean retained) {
            this.willTopic = topic;
            this.willPayload = payload;
            this.willRetained = retained;
            return this;
        }

        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        public Builder maxInflight(int maxInflight) {
            this.maxInflight = maxInflight;
            return this;
        }

        public MqttSettings build() {
            URI uri;
            try {
                uri = new URI(Objects.requireNonNull(serverUri, "MQTT server is missing"));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("MQTT server is not a URI: " + serverUri, e);
            }
            return new MqttSettings(uri, clientId, username, password, caFile, clientCertFile, clientKeyFile,
                    willTopic, willPayload, willRetained, keepAlive, connectTimeout, minBackoff, maxBackoff, maxInflight);
        }
    }
}
