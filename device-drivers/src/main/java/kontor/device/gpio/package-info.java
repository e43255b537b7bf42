/** The device ports on Pi4J 3: header GPIO through gpiod, MCP23017 expanders over I2C, and Wiegand readers. */
package kontor.device.gpio;
