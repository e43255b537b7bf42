package kontor.mqtt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A {@link CommandLog} that forgets on restart and keeps the most recent {@code capacity} replies. */
public final class InMemoryCommandLog implements CommandLog {
    private final Map<String, byte[]> replies;

    public InMemoryCommandLog() {
        this(10_000);
    }

    public InMemoryCommandLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.replies = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized Optional<byte[]> find(String command, String id) {
        return Optional.ofNullable(replies.get(key(command, id))).map(byte[]::clone);
    }

    @Override
    public synchronized CompletableFuture<Void> remember(String command, String id, byte[] reply) {
        replies.putIfAbsent(key(command, id), reply.clone());
        return CompletableFuture.completedFuture(null);
    }

    private static String key(String command, String id) {
        return command + '\n' + id;
    }
}
