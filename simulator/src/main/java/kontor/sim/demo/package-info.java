/**
 * {@code kontor demo}: the demo site on simulated hardware with an embedded broker, driven over
 * MQTT ({@code sim/…}) and, with {@code --scenario day}, by simulated visitors.
 */
package kontor.sim.demo;
