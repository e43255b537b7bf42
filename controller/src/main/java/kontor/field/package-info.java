/** Field devices that are not wired to the Pi: Zigbee2MQTT devices over MQTT, and the health rules shared with CoAP nodes. */
package kontor.field;
