package kontor.site;

import java.nio.file.Path;

/**
 * The CoAP server of {@code kontor run}: DTLS 1.2 with a pre-shared key per node, read from {@code pskFile}
 * (relative files are resolved against the site file's directory), listening on {@code bind}:{@code port}.
 * The keys, defaults and meanings are {@link SiteSettings#COAP}.
 */
public record CoapSpec(Path pskFile, String bind, int port) {
}
