package kontor.coap;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import kontor.site.SiteSettings;

/**
 * How the CoAP front listens: DTLS 1.2 with a pre-shared key per identity on {@code bind}:{@code dtlsPort},
 * and, only where allowed (the demo), plain CoAP on the loopback interface at {@code plainPort}. A port of 0
 * picks a free one (tests). An identity is a node's device id (a battery node) or any other name (a door
 * display, which may read but not report).
 *
 * @param plainPort         the plain CoAP port on loopback, or -1 for none (production)
 * @param reportsPerMinute  reports a node may POST per minute of site time; more get 4.29
 * @param maxReportBytes    the largest report payload accepted; larger ones get 4.00
 */
public record CoapSettings(InetAddress bind, int dtlsPort, int plainPort, Map<String, byte[]> psks,
                           int reportsPerMinute, int maxReportBytes) {
    public static final int DEFAULT_PORT = 5683;
    /** The site file's {@code coap.port} default: one definition for both. */
    public static final int DEFAULT_DTLS_PORT = SiteSettings.COAP_PORT.defaultValue();
    public static final int DEFAULT_REPORTS_PER_MINUTE = 12;
    public static final int DEFAULT_MAX_REPORT_BYTES = 256;

    public CoapSettings {
        Objects.requireNonNull(bind, "bind");
        checkPort("dtlsPort", dtlsPort);
        if (plainPort != -1) {
            checkPort("plainPort", plainPort);
        }
        Map<String, byte[]> copy = new TreeMap<>();
        psks.forEach((identity, key) -> {
            if (identity.isEmpty() || key.length == 0) {
                throw new IllegalArgumentException("a PSK identity and its key must not be empty");
            }
            copy.put(identity, key.clone());
        });
        psks = Map.copyOf(copy);
        if (reportsPerMinute < 1 || maxReportBytes < 16) {
            throw new IllegalArgumentException("reportsPerMinute must be ≥ 1 and maxReportBytes ≥ 16");
        }
    }

    /** Production: DTLS only. */
    public static CoapSettings dtlsOnly(InetAddress bind, int dtlsPort, Map<String, byte[]> psks) {
        return new CoapSettings(bind, dtlsPort, -1, psks, DEFAULT_REPORTS_PER_MINUTE, DEFAULT_MAX_REPORT_BYTES);
    }

    /**
     * The demo: plain CoAP on 127.0.0.1:{@code port} and DTLS on 127.0.0.1:{@code port + 1} (both free ones
     * when {@code port} is 0).
     */
    public static CoapSettings loopback(int port, Map<String, byte[]> psks) {
        return new CoapSettings(InetAddress.getLoopbackAddress(), port == 0 ? 0 : port + 1, port, psks,
                DEFAULT_REPORTS_PER_MINUTE, DEFAULT_MAX_REPORT_BYTES);
    }

    public CoapSettings withReportsPerMinute(int perMinute) {
        return new CoapSettings(bind, dtlsPort, plainPort, psks, perMinute, maxReportBytes);
    }

    public boolean plainAllowed() {
        return plainPort != -1;
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0..65535, not " + port);
        }
    }

    /** Never shows a key. */
    @Override
    public String toString() {
        return "CoapSettings[bind=" + bind.getHostAddress() + ", dtlsPort=" + dtlsPort + ", plainPort=" + plainPort
                + ", identities=" + psks.keySet() + ", reportsPerMinute=" + reportsPerMinute
                + ", maxReportBytes=" + maxReportBytes + "]";
    }
}
