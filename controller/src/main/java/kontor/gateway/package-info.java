/** The running site: wiring of devices, journal, MQTT and rules, and the one thread they share. */
package kontor.gateway;
