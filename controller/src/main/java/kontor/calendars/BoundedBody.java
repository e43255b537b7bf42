package kontor.calendars;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange with a calendar server whose response body is read as it arrives, at most {@link #MAX_BYTES}, and
 * whole within {@value #DEADLINE_FACTOR} times the request's timeout. That timeout alone ends only the wait for the
 * headers: a server that sends them and then trickles its body, or stops, would otherwise hold the calendars' worker
 * for ever, and one that sends without end would fill the Pi's memory. Every CalDAV and iCalendar response Kontor
 * reads goes through here.
 */
final class BoundedBody {
    /** Larger bodies are refused: a calendar is kilobytes, not a denial of service. */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** Headers and body, all of it, within this many times the request's timeout (which bounds the headers). */
    static final int DEADLINE_FACTOR = 3;

    /** The body was larger than the limit; nothing of it is used. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private BoundedBody() { }

    /**
     * Sends {@code request} (which must have a timeout) and returns the response with its body, or throws:
     * {@link TooLarge} past {@code limit} bytes, {@link HttpTimeoutException} when headers and body are not all in
     * within {@value #DEADLINE_FACTOR} times the request's timeout.
     */
    static HttpResponse<byte[]> send(HttpClient http, HttpRequest request, int limit) throws IOException {
        Duration deadline = request.timeout().orElseThrow(() -> new IllegalArgumentException("a request without timeout"))
                .multipliedBy(DEADLINE_FACTOR);
        Subscriber body = new Subscriber(limit, request);
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> body);
        try {
            return exchange.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
            body.cancel();
            exchange.cancel(true);
            throw new HttpTimeoutException(request.method() + " " + CalendarUrl.shown(request.uri()) + ": no whole response within "
                    + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            body.cancel();
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(request.method() + " " + CalendarUrl.shown(request.uri()) + ": " + cause, cause);
        }
    }

    /** Collects the body up to the limit; past it, stops reading (the connection is closed) and fails. */
    private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final HttpRequest request;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;

        Subscriber(int limit, HttpRequest request) {
            this.limit = limit;
            this.request = request;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                if (bytes.size() + b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(request.method() + " " + CalendarUrl.shown(request.uri())
                            + ": the response is larger than " + limit + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.writeBytes(chunk);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            result.cancel(false);
        }
    }
}
