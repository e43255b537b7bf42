/**
 * The hardware ports: what the gateway can ask of a device and what a device reports back.
 * Nothing here imports Pi4J, Paho or Californium; implementations are named after their backend.
 */
package kontor.device;
