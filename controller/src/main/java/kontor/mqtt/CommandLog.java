package kontor.mqtt;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers the reply given to each (command, id), so that a repeated request gets the first reply again
 * and nothing is done twice. Called only on the command executor (the site thread).
 */
public interface CommandLog {
    /** The reply kept for this request, including one still being written. */
    Optional<byte[]> find(String command, String id);

    /**
     * Keeps {@code reply} (the first reply to a request wins). {@link #find} knows it at once; the future
     * completes when it is kept for good, and only then may the reply be sent: a request sent again after a
     * restart must get it too.
     */
    CompletableFuture<Void> remember(String command, String id, byte[] reply);
}
