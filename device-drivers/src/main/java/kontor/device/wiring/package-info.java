/** How a device is wired: which pins, on the Pi's header or on an MCP23017 expander, at which level. */
package kontor.device.wiring;
