package kontor.site;

import java.nio.file.Path;

/**
 * The gateway's HTTPS server of {@code kontor run} (the host console, and whatever else speaks HTTP):
 * listening on {@code bind}:{@code port} with the site certificate {@code certFile} (PEM chain) and its
 * PKCS#8 key {@code keyFile} (relative files are resolved against the site file's directory). No plain HTTP
 * outside loopback. The keys, defaults and meanings are {@link SiteSettings#HTTP}.
 */
public record HttpSpec(String bind, int port, Path certFile, Path keyFile) {
}
