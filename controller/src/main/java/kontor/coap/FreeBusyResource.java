package kontor.coap;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code /rooms/{room}/freebusy}: the room's schedule as one VFREEBUSY, no names, for a door display that shows
 * when the room is free next (the same feed as {@code GET /rooms/{room}/freebusy.ics} over HTTP). CoAP has no
 * content format for iCalendar: it is text/plain (0), UTF-8. Read from the database on Californium's thread, as the
 * HTTP feed is on Jetty's: the site thread is not asked.
 */
final class FreeBusyResource extends CoapResource {
    private final String room;
    private final Function<String, String> freeBusy;

    FreeBusyResource(String room, Function<String, String> freeBusy) {
        super("freebusy");
        this.room = room;
        this.freeBusy = freeBusy;
        getAttributes().setTitle("free/busy: " + room);
        getAttributes().addResourceType("kontor.freebusy");
        getAttributes().addContentType(MediaTypeRegistry.TEXT_PLAIN);
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        exchange.respond(ResponseCode.CONTENT, freeBusy.apply(room).getBytes(StandardCharsets.UTF_8),
                MediaTypeRegistry.TEXT_PLAIN);
    }
}
