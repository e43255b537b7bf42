package kontor.console;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Server-sent events that tell every open page "something changed": a retained state, an alarm or a
 * journal entry. The page then fetches itself again (htmx, {@code sse:change}) and swaps the part that
 * lives. The stream carries no data, so it needs no login (the visitors' screen uses it too).
 *
 * <p>Changes are coalesced: at most one {@code change} per {@link #COALESCE_MS} per stream, however busy the
 * site, so a burst of events costs each browser one fetch. A comment every {@link #HEARTBEAT_S} seconds keeps
 * the connection inside the HTTP server's idle timeout. Streams are capped; writes never block a thread.
 */
final class Live implements AutoCloseable {
    static final int MAX_STREAMS = 64;
    static final long COALESCE_MS = 500;
    static final long HEARTBEAT_S = 15;

    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kontor-console-live");
        t.setDaemon(true);
        return t;
    });

    Live() {
        timer.scheduleAtFixedRate(() -> streams.forEach(s -> s.send(": keep-alive\n\n")), HEARTBEAT_S, HEARTBEAT_S, TimeUnit.SECONDS);
    }

    /** Something changed: every stream hears of it within {@link #COALESCE_MS}. Cheap; any thread. */
    void changed() {
        if (pending.compareAndSet(false, true)) {
            timer.schedule(() -> {
                pending.set(false);
                streams.forEach(s -> s.send("event: change\ndata: 1\n\n"));
            }, COALESCE_MS, TimeUnit.MILLISECONDS);
        }
    }

    int streams() {
        return streams.size();
    }

    /** Takes the request over as a stream; answers 503 when too many are open. */
    boolean open(Request request, Response response, Callback callback) {
        if (streams.size() >= MAX_STREAMS) {
            response.setStatus(503);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
            callback.succeeded();
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Stream s = new Stream(response, callback);
        streams.add(s);
        s.send("retry: 3000\n\n");
        return true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        streams.forEach(Stream::end);
        streams.clear();
    }

    /** One browser's stream. One write at a time: a message that comes while one is on its way waits for it. */
    private final class Stream {
        private final Response response;
        private final Callback done;
        private boolean writing;
        private String queued;
        private boolean ended;

        Stream(Response response, Callback done) {
            this.response = response;
            this.done = done;
        }

        synchronized void send(String message) {
            if (ended) {
                return;
            }
            if (writing) {
                // A change supersedes a heartbeat; two changes are one.
                if (queued == null || message.startsWith("event:")) {
                    queued = message;
                }
                return;
            }
            writing = true;
            response.write(false, ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), Callback.from(this::written, this::failed));
        }

        private void written() {
            String next;
            synchronized (this) {
                writing = false;
                next = queued;
                queued = null;
            }
            if (next != null) {
                send(next);
            }
        }

        private void failed(Throwable gone) {
            synchronized (this) {
                ended = true;
            }
            streams.remove(this);
            done.failed(gone);
        }

        void end() {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            done.succeeded();
        }
    }
}
