package kontor.testing;

import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho v5 callback for a client that only reads: each message goes to {@code onMessage}, a lost connection to
 * {@code onLost}, every other callback does nothing. {@code client.setCallback(new OnMessage((topic, message) -> …))}.
 */
public record OnMessage(BiConsumer<String, MqttMessage> onMessage, Runnable onLost) implements MqttCallback {
    public OnMessage(BiConsumer<String, MqttMessage> onMessage) {
        this(onMessage, () -> { });
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        onMessage.accept(topic, message);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        onLost.run();
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) { }

    @Override
    public void deliveryComplete(IMqttToken token) { }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) { }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) { }
}
