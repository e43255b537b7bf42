/** Simulated devices that have no Pi4J driver to run under: network printers. */
package kontor.sim.devices;
