package kontor.mqtt;

import java.util.Optional;

/**
 * Remembers the reply given to each (command, id), so that a repeated request gets the first reply again
 * and nothing is done twice. Called only on the command executor (the site thread).
 */
public interface CommandLog {
    Optional<byte[]> find(String command, String id);

    void remember(String command, String id, byte[] reply);
}
