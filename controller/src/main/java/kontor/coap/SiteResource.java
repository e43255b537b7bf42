package kontor.coap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kontor.core.Topics;
import kontor.mqtt.Json;
import kontor.mqtt.RetainedTopics;
import kontor.site.Site;
import kontor.time.Scheduler;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code /site}: {@code {"site","open","occupancy":{"present","capacity"}}}. {@code open} follows the opening
 * hours; {@code occupancy} is the retained occupancy topic ({@code present} is null until the headcount is
 * known).
 */
final class SiteResource extends CoapResource {
    private final Site site;
    private final Scheduler clock;
    private final RetainedTopics retained;
    private final Topics topics;

    SiteResource(Site site, Scheduler clock, RetainedTopics retained, Topics topics) {
        super("site");
        this.site = site;
        this.clock = clock;
        this.retained = retained;
        this.topics = topics;
        getAttributes().setTitle("site status: open, occupancy");
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        ObjectNode body = Json.object();
        body.put("site", site.id());
        body.put("open", site.hours().isOpen(clock.now()));
        ObjectNode occupancy = body.putObject("occupancy");
        JsonNode published = retained.get(topics.occupancy()).map(RoomResource::parseOrNull).orElse(null);
        JsonNode present = published == null ? null : published.get("present");
        if (present != null && present.isIntegralNumber()) {
            occupancy.put("present", present.intValue());
        } else {
            occupancy.putNull("present");
        }
        occupancy.put("capacity", site.capacity());
        exchange.respond(ResponseCode.CONTENT, Json.bytes(body), MediaTypeRegistry.APPLICATION_JSON);
    }
}
