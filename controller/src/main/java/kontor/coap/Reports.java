package kontor.coap;

import java.security.Principal;
import java.util.List;
import java.util.function.Consumer;
import kontor.device.Signal;
import kontor.site.DeviceSpec;
import kontor.time.Scheduler;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a node's report, in this order: who may send it (4.03), what it says (4.15, 4.00), how often (4.29); only
 * a report that passes all of them reaches the gateway, so a refused one changes nothing.
 *
 * <p>Only a report that is taken counts against the node's rate, and a node's DTLS reports and reports in its name
 * over plain CoAP (loopback, the demo) are counted apart: refused or unauthenticated requests cannot use up a real
 * node's allowance. Refusals are logged at most once a minute per node and reason, at debug level beyond that, so a
 * flood of bad reports does not flood the log either.
 */
final class Reports {
    private static final Logger log = LoggerFactory.getLogger(Reports.class);

    private final CoapSettings settings;
    private final Scheduler clock;
    private final ReportLimit limit;
    private final Consumer<Signal> signals;
    private final ReportLimit logged = new ReportLimit(1);

    Reports(CoapSettings settings, Scheduler clock, ReportLimit limit, Consumer<Signal> signals) {
        this.settings = settings;
        this.clock = clock;
        this.limit = limit;
        this.signals = signals;
    }

    void take(DeviceSpec node, CoapExchange exchange) {
        String refusal = refusal(node.id(), exchange);
        if (refusal != null) {
            refuse(exchange, ResponseCode.FORBIDDEN, node.id(), refusal);
            return;
        }
        int format = exchange.getRequestOptions().getContentFormat();
        if (format != MediaTypeRegistry.APPLICATION_JSON) {
            refuse(exchange, ResponseCode.UNSUPPORTED_CONTENT_FORMAT, node.id(), format == MediaTypeRegistry.UNDEFINED
                    ? "a report is JSON and must say so: content format 50 (application/json); it has none"
                    : "a report is JSON (content format 50), not " + MediaTypeRegistry.toString(format));
            return;
        }
        byte[] payload = exchange.getRequestPayload();
        if (payload.length > settings.maxReportBytes()) {
            refuse(exchange, ResponseCode.BAD_REQUEST, node.id(), "the report has " + payload.length
                    + " bytes; at most " + settings.maxReportBytes() + " are accepted");
            return;
        }
        List<Signal> report;
        try {
            report = NodeReport.signals(node, payload);
        } catch (NodeReport.Rejected e) {
            refuse(exchange, ResponseCode.BAD_REQUEST, node.id(), e.getMessage());
            return;
        }
        boolean authenticated = exchange.advanced().getRequest().getSourceContext().getPeerIdentity() != null;
        if (!limit.allow(authenticated ? node.id() : node.id() + " (plain CoAP)", clock.now())) {
            refuse(exchange, ResponseCode.TOO_MANY_REQUESTS, node.id(),
                    "more than " + settings.reportsPerMinute() + " reports a minute from " + node.id());
            return;
        }
        report.forEach(signals);
        exchange.respond(ResponseCode.CHANGED);
    }

    /** Why this exchange may not report for {@code node}, or null if it may. */
    private String refusal(String node, CoapExchange exchange) {
        Principal peer = exchange.advanced().getRequest().getSourceContext().getPeerIdentity();
        if (peer == null) {
            // Plain CoAP is only ever bound to loopback, and only where allowed; the address check is a second lock.
            return settings.plainAllowed() && exchange.getSourceAddress().isLoopbackAddress()
                    ? null : "reports need DTLS with the node's pre-shared key";
        }
        String identity = peer instanceof PreSharedKeyIdentity psk ? psk.getIdentity() : peer.getName();
        return identity.equals(node) ? null
                : "the PSK identity '" + identity + "' may only report for itself, not for " + node;
    }

    private void refuse(CoapExchange exchange, ResponseCode code, String node, String why) {
        // A flooding sender must not flood the log as well: once a minute per node and code, the rest at debug.
        if (logged.allow(node + " " + code, clock.now())) {
            log.info("Refused a CoAP report for {} from {}: {} {}", node, exchange.getSourceSocketAddress(), code, why);
        } else {
            log.debug("Refused a CoAP report for {} from {}: {} {}", node, exchange.getSourceSocketAddress(), code, why);
        }
        exchange.respond(code, why);
    }
}
