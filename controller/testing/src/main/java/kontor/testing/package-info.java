/**
 * Test fixtures every module's tests share (in test scope): {@link kontor.testing.HelperProcess}, the one way to
 * start a real peer on a free port, and the peers started with it ({@link kontor.testing.Mosquitto},
 * {@link kontor.testing.IppEvePrinter}); an MQTT test client; a cuttable TCP proxy. The in-memory MQTT fake
 * ({@code InMemoryMqtt}) implements the controller's port and so comes with the controller's test-jar.
 */
package kontor.testing;
