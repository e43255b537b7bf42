/** Test fixtures shared with other modules through the controller's test-jar: a real Mosquitto, an MQTT test client, a cuttable TCP proxy. */
package kontor.testing;
