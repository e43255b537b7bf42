package kontor.coap;

import com.fasterxml.jackson.databind.JsonNode;
import kontor.mqtt.Json;
import kontor.mqtt.RetainedTopics;
import kontor.site.Room;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.observe.ObserveRelation;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code /rooms/{room}}: the room's retained state, byte for byte as MQTT has it. Observable: every change of
 * the retained value is notified, so a door display need not poll. Until the room's state is first published
 * it answers 5.03.
 */
final class RoomResource extends CoapResource {
    private final RetainedTopics retained;
    private final String topic;
    private final ObserverLimit observers;

    RoomResource(Room room, RetainedTopics retained, String topic, ObserverLimit observers) {
        super(room.id());
        this.retained = retained;
        this.topic = topic;
        this.observers = observers;
        setObservable(true);
        getAttributes().setObservable();
        getAttributes().setTitle("room state: " + room.name());
        getAttributes().addResourceType("kontor.room");
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        ObserveRelation relation = exchange.advanced().getRelation();
        if (relation != null && !relation.isEstablished()
                && !observers.mayAdd(ObserverLimit.client(exchange.advanced()), relation.getKey())) {
            // A refusal ends the registration (Californium cancels a relation whose first answer is not a success).
            exchange.respond(ResponseCode.TOO_MANY_REQUESTS,
                    "at most " + ObserverLimit.PER_CLIENT + " observations per client");
            return;
        }
        byte[] state = retained.get(topic).orElse(null);
        if (state == null) {
            exchange.respond(ResponseCode.SERVICE_UNAVAILABLE, "the state of " + getName() + " is not known yet");
            return;
        }
        exchange.respond(ResponseCode.CONTENT, state, MediaTypeRegistry.APPLICATION_JSON);
    }

    @Override
    public void addObserveRelation(ObserveRelation relation) {
        super.addObserveRelation(relation);
        observers.added(ObserverLimit.client(relation.getExchange()), relation.getKey());
    }

    @Override
    public void removeObserveRelation(ObserveRelation relation) {
        super.removeObserveRelation(relation);
        observers.removed(relation.getKey());
    }

    static JsonNode parseOrNull(byte[] json) {
        try {
            return Json.tree(json);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
