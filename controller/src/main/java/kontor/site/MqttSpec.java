package kontor.site;

import java.net.URI;
import java.nio.file.Path;

/**
 * The production broker ({@code kontor run}). {@code url} is {@code tcp://} or {@code ssl://}. Any of
 * {@code username}, {@code passwordFile}, {@code caFile} (null: the system trust store),
 * {@code clientCertFile} and {@code clientKeyFile} may be null; the two client files come together.
 * Relative files are resolved against the site file's directory. The keys, defaults and meanings are
 * {@link SiteSettings#MQTT}.
 */
public record MqttSpec(URI url, String clientId, String username, Path passwordFile, Path caFile,
                       Path clientCertFile, Path clientKeyFile, String topicRoot, String discoveryPrefix) {

    public boolean tls() {
        return "ssl".equals(url.getScheme());
    }
}
