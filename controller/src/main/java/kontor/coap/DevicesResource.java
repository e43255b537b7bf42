package kontor.coap;

import kontor.site.DeviceSpec;
import kontor.site.Site;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /devices}: a {@code report} resource for every CoAP node of the site file. Any other name is answered
 * too, with 4.03 to a report: such a node is unknown (or not a CoAP node), which is not a missing resource.
 */
final class DevicesResource extends CoapResource {
    private final Site site;

    DevicesResource(Site site, Reports reports) {
        super("devices", false);
        this.site = site;
        for (DeviceSpec node : site.coapNodes()) {
            CoapResource device = new CoapResource(node.id(), false);
            device.add(new ReportResource(node, reports));
            add(device);
        }
    }

    @Override
    public Resource getChild(String name) {
        Resource known = super.getChild(name);
        return known != null ? known : new UnknownNode(name, site.device(name).isPresent());
    }

    /** {@code /devices/{node}/report}: POST only. */
    static final class ReportResource extends CoapResource {
        private final DeviceSpec node;
        private final Reports reports;

        ReportResource(DeviceSpec node, Reports reports) {
            super("report");
            this.node = node;
            this.reports = reports;
            getAttributes().setTitle("report of " + node.id() + ": " + String.join(", ", NodeReport.fieldsOf(node)));
            getAttributes().addResourceType("kontor.report");
            getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            reports.take(node, exchange);
        }
    }

    /** A name that is not a CoAP node: its {@code report} refuses, everything else is not found. */
    private static final class UnknownNode extends CoapResource {
        private final String why;

        UnknownNode(String name, boolean declared) {
            super(name, false);
            // The name comes from the request: never echo more of it than an id can be.
            String shown = name.length() > 64 ? name.substring(0, 64) + "…" : name;
            this.why = declared ? "'" + shown + "' is not a CoAP node in the site file"
                    : "no device called '" + shown + "' is declared in the site file";
        }

        @Override
        public Resource getChild(String name) {
            if (!name.equals("report")) {
                return null;
            }
            return new CoapResource("report", false) {
                @Override
                public void handlePOST(CoapExchange exchange) {
                    exchange.respond(ResponseCode.FORBIDDEN, why);
                }
            };
        }
    }
}
