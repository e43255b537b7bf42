package kontor.coap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * libcoap's {@code coap-client} (Debian {@code libcoap3-bin}) as a peer: {@code coap-client-notls} for plain
 * CoAP, {@code coap-client-openssl} for DTLS. It exits 0 even on 4.04 or a failed handshake, so callers read
 * its output: the payload on stdout, response codes other than 2.xx and errors on stderr.
 */
public final class CoapClient {
    private CoapClient() { }

    /** What one run printed. */
    public record Result(String out, String err) {
        public String all() {
            return out + err;
        }
    }

    /** Runs coap-client to completion (it gives up after 5 s without an answer). */
    public static Result run(String... args) {
        Process p = start(args);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("coap-client did not finish: " + List.of(args));
            }
            return new Result(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
                    new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Plain CoAP: {@code coap-client-notls -B 5 args…}. */
    public static Result plain(String... args) {
        return run(concat(List.of("coap-client-notls", "-B", "5"), args));
    }

    /** DTLS with a PSK: {@code coap-client-openssl -B 5 -u identity -k key args…}. */
    public static Result dtls(String identity, String key, String... args) {
        return run(concat(List.of("coap-client-openssl", "-B", "5", "-u", identity, "-k", key), args));
    }

    /** An observer: its stdout lines (one per notification, with {@code -w}) as they arrive. */
    public static final class Observer implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        Observer(String... args) {
            process = start(args);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (!line.isBlank()) {
                            lines.add(line.strip());
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "coap-observer-out");
            reader.setDaemon(true);
            reader.start();
        }

        public List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code stdbuf -oL coap-client-notls -w -s seconds uri}: line-buffered, so each notification shows at once. */
    public static Observer observe(int seconds, String uri) {
        return new Observer("stdbuf", "-oL", "coap-client-notls", "-w", "-s", Integer.toString(seconds), uri);
    }

    private static Process start(String... args) {
        try {
            return new ProcessBuilder(args).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + args[0] + " (Debian package libcoap3-bin)", e);
        }
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }
}
