/** Simulated hardware under the real Pi4J drivers: mock GPIO lines, MCP23017 register files, Wiegand readers, doors. */
package kontor.sim.hardware;
