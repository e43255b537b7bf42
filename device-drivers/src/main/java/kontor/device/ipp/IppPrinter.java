package kontor.device.ipp;

import com.hp.jipp.cups.Cups;
import com.hp.jipp.encoding.AttributeGroup;
import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.encoding.KeyValues;
import com.hp.jipp.encoding.Tag;
import com.hp.jipp.model.PrinterState;
import com.hp.jipp.model.Types;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import kontor.device.DeviceListener;
import kontor.device.Health;
import kontor.device.Printer;
import kontor.device.PrinterStatus;
import kontor.device.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network printer read with IPP Get-Printer-Attributes over HTTP (HP's jipp encodes and decodes).
 * {@link #poll()} blocks for up to the timeout, so call it off the site thread; it reports a
 * {@link Signal.HealthChanged} when reachability changes, then a {@link Signal.PrinterReport}.
 *
 * <p>Supplies come from CUPS' {@code marker-*} attributes when the printer has them, else from IPP
 * Everywhere's {@code printer-supply}. Only supplies that are used up (toner, ink …) are reported:
 * a waste container's level means the opposite and would look like a low cartridge.
 */
public final class IppPrinter implements Printer {
    private static final Logger log = LoggerFactory.getLogger(IppPrinter.class);

    /** Printers answer in milliseconds; one that takes longer than this is as good as gone. */
    static final Duration LONGEST_TIMEOUT = Duration.ofSeconds(10);

    /** What an unreachable printer reports: nothing known. */

    private static final Map<String, String> COLORANTS = Map.of(
            "black", "#000000", "cyan", "#00FFFF", "magenta", "#FF00FF", "yellow", "#FFFF00",
            "light-cyan", "#80FFFF", "light-magenta", "#FF80FF", "gray", "#808080", "light-gray", "#C0C0C0");

    private final String id;
    private final URI printerUri;
    private final URI httpUri;
    private final Duration timeout;
    private final DeviceListener listener;
    private final HttpClient http;
    private final AtomicInteger requestIds = new AtomicInteger();
    private volatile PrinterStatus status;
    private volatile Health health = new Health(Health.Status.UNKNOWN, "not asked yet");
    private volatile boolean closed;

    /**
     * @param uri     the printer's {@code ipp://}, {@code ipps://}, {@code http://} or {@code https://} URI
     * @param timeout how long to wait for a connection and, again, for the answer
     */
    public IppPrinter(String id, URI uri, Duration timeout, DeviceListener listener) {
        this.id = Objects.requireNonNull(id);
        this.printerUri = ippUri(uri);
        this.httpUri = httpUri(uri);
        this.timeout = Objects.requireNonNull(timeout);
        this.listener = Objects.requireNonNull(listener);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The printer a site file describes; it must have an IPP URI. The timeout is half the poll, at most 10 s. */
    public static IppPrinter of(String id, URI ipp, Duration poll, DeviceListener listener) {
        if (ipp == null) {
            throw new IllegalArgumentException("printer '" + id + "' has no ipp URI");
        }
        return new IppPrinter(id, ipp, timeoutFor(poll), listener);
    }

    static Duration timeoutFor(Duration poll) {
        Duration half = poll.dividedBy(2);
        return half.compareTo(LONGEST_TIMEOUT) < 0 ? half : LONGEST_TIMEOUT;
    }

    @Override
    public synchronized void poll() {
        if (closed) {
            return;
        }
        PrinterStatus now;
        Health h;
        try {
            now = statusOf(ask());
            h = Health.ONLINE;
        } catch (Unreachable e) {
            now = PrinterStatus.UNREACHABLE;
            h = Health.offline(e.getMessage());
        }
        if (closed) {
            return;
        }
        if (!h.equals(health)) {
            if (h.isOnline()) {
                log.info("Printer {} answers at {}", id, printerUri);
            } else {
                log.warn("Printer {} at {} is unreachable: {}", id, printerUri, h.detail());
            }
            health = h;
            listener.onSignal(new Signal.HealthChanged(id, h));
        }
        status = now;
        listener.onSignal(new Signal.PrinterReport(id, now));
    }

    private IppPacket ask() throws Unreachable {
        IppPacket request = IppPacket.getPrinterAttributes(printerUri,
                        Types.printerState, Types.printerStateReasons, Types.printerIsAcceptingJobs,
                        Cups.Types.markerNames, Cups.Types.markerLevels, Cups.Types.markerColors, Cups.Types.markerTypes,
                        Types.printerSupply, Types.printerSupplyDescription)
                .setRequestId(requestIds.incrementAndGet())
                .build();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            request.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an IPP request in memory", e);
        }
        HttpRequest post = HttpRequest.newBuilder(httpUri)
                .timeout(timeout)
                .header("Content-Type", "application/ipp")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable("no connection within " + seconds(timeout));
        } catch (HttpTimeoutException e) {
            throw new Unreachable("no answer within " + seconds(timeout));
        } catch (ConnectException e) {
            throw new Unreachable("connection refused");
        } catch (IOException e) {
            throw new Unreachable(describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while waiting for the printer");
        } catch (UnresolvedAddressException e) {
            throw new Unreachable("unknown host " + httpUri.getHost());
        }
        if (response.statusCode() != 200) {
            throw new Unreachable("HTTP " + response.statusCode() + " from " + httpUri);
        }
        IppPacket answer;
        try {
            answer = IppPacket.parse(new ByteArrayInputStream(response.body()));
        } catch (IOException | RuntimeException e) {
            throw new Unreachable("the answer is not IPP: " + e.getMessage());
        }
        // Codes below 0x100 are the successful-ok family (some substituted or ignored attributes).
        if (answer.getCode() >= 0x100) {
            throw new Unreachable("IPP status " + answer.getStatus().getName());
        }
        return answer;
    }

    /** What a Get-Printer-Attributes answer says about the printer. */
    static PrinterStatus statusOf(IppPacket answer) throws Unreachable {
        AttributeGroup printer = answer.get(Tag.printerAttributes);
        if (printer == null) {
            throw new Unreachable("the printer's answer has no printer attributes");
        }
        PrinterState state = printer.getValue(Types.printerState);
        List<String> reasons = printer.getStrings(Types.printerStateReasons).stream()
                .filter(r -> !r.equals("none")).toList();
        boolean accepting = Boolean.TRUE.equals(printer.getValue(Types.printerIsAcceptingJobs));
        return new PrinterStatus(state == null ? "unknown" : state.getName(), reasons, accepting, markers(printer));
    }

    private static List<PrinterStatus.Marker> markers(AttributeGroup printer) {
        List<String> names = printer.getStrings(Cups.Types.markerNames);
        if (!names.isEmpty()) {
            List<Integer> levels = printer.getValues(Cups.Types.markerLevels);
            List<String> colors = printer.getStrings(Cups.Types.markerColors);
            List<String> types = printer.getStrings(Cups.Types.markerTypes);
            List<PrinterStatus.Marker> markers = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (i < types.size() && isWaste(types.get(i))) {
                    continue;
                }
                markers.add(new PrinterStatus.Marker(names.get(i),
                        i < colors.size() ? colors.get(i) : "none",
                        i < levels.size() ? percent(levels.get(i), 100) : -1));
            }
            return markers;
        }
        List<KeyValues> supplies = printer.getValues(Types.printerSupply);
        List<String> descriptions = printer.getStrings(Types.printerSupplyDescription);
        List<PrinterStatus.Marker> markers = new ArrayList<>();
        for (int i = 0; i < supplies.size(); i++) {
            KeyValues supply = supplies.get(i);
            String type = supply.getOrDefault("type", "");
            if (isWaste(type) || "receptacleThatIsFilled".equals(supply.get("class"))) {
                continue;
            }
            String name = i < descriptions.size() && !descriptions.get(i).isBlank() ? descriptions.get(i) : type;
            String colorant = supply.getOrDefault("colorantname", "unknown").toLowerCase(Locale.ROOT);
            markers.add(new PrinterStatus.Marker(name, COLORANTS.getOrDefault(colorant, "none"),
                    percent(integer(supply.get("level")), integer(supply.get("maxcapacity")))));
        }
        return markers;
    }

    private static boolean isWaste(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        return t.startsWith("waste");
    }

    /** A level as a percentage of its capacity; -1 when the printer does not know it (IPP uses -1, -2, -3). */
    private static int percent(Integer level, Integer capacity) {
        if (level == null || level < 0 || capacity == null || capacity <= 0) {
            return -1;
        }
        return (int) Math.min(100, Math.round(level * 100.0 / capacity));
    }

    private static Integer integer(String text) {
        try {
            return text == null ? null : Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The URI the request names the printer by: always ipp or ipps. */
    static URI ippUri(URI uri) {
        return switch (scheme(uri)) {
            case "ipp", "ipps" -> uri;
            case "http" -> withScheme(uri, "ipp", uri.getPort() < 0 ? 80 : uri.getPort());
            case "https" -> withScheme(uri, "ipps", uri.getPort() < 0 ? 443 : uri.getPort());
            default -> throw new IllegalArgumentException("not an IPP URI: " + uri);
        };
    }

    /** Where the request goes: ipp is HTTP and ipps HTTPS, both on port 631 unless the URI says otherwise. */
    static URI httpUri(URI uri) {
        return switch (scheme(uri)) {
            case "ipp" -> withScheme(uri, "http", uri.getPort() < 0 ? 631 : uri.getPort());
            case "ipps" -> withScheme(uri, "https", uri.getPort() < 0 ? 631 : uri.getPort());
            case "http", "https" -> uri;
            default -> throw new IllegalArgumentException("not an IPP URI: " + uri);
        };
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static URI withScheme(URI uri, String scheme, int port) {
        try {
            return new URI(scheme, uri.getUserInfo(), uri.getHost(), port, uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an IPP URI: " + uri, e);
        }
    }

    @Override
    public PrinterStatus status() {
        return status;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Health health() {
        return health;
    }

    /** The printer URI requests name (ipp or ipps). */
    public URI uri() {
        return printerUri;
    }

    @Override
    public void close() {
        closed = true;
        http.shutdownNow();
    }

    /** The printer could not be asked, or did not answer as an IPP printer. */
    static final class Unreachable extends Exception {
        Unreachable(String reason) {
            super(reason);
        }
    }
}
