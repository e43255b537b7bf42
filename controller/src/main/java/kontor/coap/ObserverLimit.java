package kontor.coap;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;

/**
 * At most {@link #PER_CLIENT} observations of rooms per client, so that one socket cannot hold the server's memory
 * with registrations (20,000 from one socket once held about 100 MB). A client is its DTLS identity, or, over plain
 * CoAP (loopback only), its socket. A door display observes a room or two; a re-registration with the same token
 * replaces its relation and is not counted twice. Californium's own cap on all relations
 * ({@code MAX_SERVER_OBSERVES}) stands behind it.
 */
final class ObserverLimit {
    static final int PER_CLIENT = 16;

    private final Map<String, Set<String>> byClient = new HashMap<>();
    private final Map<String, String> clientOf = new HashMap<>();

    /** Who is asking, as the limit counts clients. */
    static String client(Exchange exchange) {
        Principal peer = exchange.getRequest().getSourceContext().getPeerIdentity();
        if (peer != null) {
            return "psk:" + (peer instanceof PreSharedKeyIdentity psk ? psk.getIdentity() : peer.getName());
        }
        InetSocketAddress source = exchange.getRequest().getSourceContext().getPeerAddress();
        return "socket:" + source;
    }

    /** Whether {@code client} may add the relation {@code key} (one it already has may always be renewed). */
    synchronized boolean mayAdd(String client, String key) {
        Set<String> relations = byClient.get(client);
        return relations == null || relations.contains(key) || relations.size() < PER_CLIENT;
    }

    synchronized void added(String client, String key) {
        byClient.computeIfAbsent(client, c -> new HashSet<>()).add(key);
        clientOf.put(key, client);
    }

    synchronized void removed(String key) {
        String client = clientOf.remove(key);
        if (client != null) {
            Set<String> relations = byClient.get(client);
            relations.remove(key);
            if (relations.isEmpty()) {
                byClient.remove(client);
            }
        }
    }
}
