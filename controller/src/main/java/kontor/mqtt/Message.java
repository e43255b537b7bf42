package kontor.mqtt;

/**
 * An MQTT message as the gateway sees it. {@code responseTopic} and {@code correlationData}
 * are the MQTT 5 request/response properties, null when absent.
 */
public record Message(String topic, byte[] payload, String responseTopic, byte[] correlationData) {

    public Message(String topic, byte[] payload) {
        this(topic, payload, null, null);
    }
}
