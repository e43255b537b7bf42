/**
 * MQTT behind our own port (only {@link kontor.mqtt.PahoMqttPort} knows Paho), the retained state and the command mechanism.
 */
package kontor.mqtt;
