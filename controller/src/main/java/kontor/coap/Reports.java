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
 * Takes a node's report, in this order: who may send it (4.03), how often (4.29), what it says (4.15, 4.00);
 * only a report that passes all of them reaches the gateway, so a refused one changes nothing.
 */
final class Reports {
    private static final Logger log = LoggerFactory.getLogger(Reports.class);

    private final CoapSettings settings;
    private final Scheduler clock;
    private final ReportLimit limit;
    private final Consumer<Signal> signals;

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
        if (!limit.allow(node.id(), clock.now())) {
            refuse(exchange, ResponseCode.TOO_MANY_REQUESTS, node.id(),
                    "more than " + settings.reportsPerMinute() + " reports a minute from " + node.id());
            return;
        }
        int format = exchange.getRequestOptions().getContentFormat();
        if (format != MediaTypeRegistry.UNDEFINED && format != MediaTypeRegistry.APPLICATION_JSON) {
            refuse(exchange, ResponseCode.UNSUPPORTED_CONTENT_FORMAT, node.id(),
                    "a report is JSON (content format 50), not " + MediaTypeRegistry.toString(format));
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

    private static void refuse(CoapExchange exchange, ResponseCode code, String node, String why) {
        if (code == ResponseCode.TOO_MANY_REQUESTS) {
            // A flooding node must not flood the log as well.
            log.debug("Refused a CoAP report for {} from {}: {} {}", node, exchange.getSourceSocketAddress(), code, why);
            exchange.respond(code, why);
            return;
        }
        log.info("Refused a CoAP report for {} from {}: {} {}", node, exchange.getSourceSocketAddress(), code, why);
        exchange.respond(code, why);
    }
}
