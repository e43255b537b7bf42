/**
 * MQTT behind our own port: one class knows Paho; the rest of the gateway sees {@link kontor.mqtt.MqttPort}.
 */
package kontor.mqtt;
