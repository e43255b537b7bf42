package kontor.mqtt;

/**
 * An MQTT message as the gateway sees it. {@code responseTopic} and {@code correlationData}
 * are the MQTT 5 request/response properties, null when absent. {@code retained} is the RETAIN flag as it
 * arrived: set for a retained message the broker sends on subscribing, and, on a subscription made with
 * {@link MqttPort#subscribeRequests}, for a message its sender published retained.
 */
public record Message(String topic, byte[] payload, String responseTopic, byte[] correlationData, boolean retained) {

    public Message(String topic, byte[] payload, String responseTopic, byte[] correlationData) {
        this(topic, payload, responseTopic, correlationData, false);
    }

    public Message(String topic, byte[] payload) {
        this(topic, payload, null, null, false);
    }
}
