/** The embedded MQTT 5 broker (HiveMQ CE) that {@code kontor demo} runs on loopback, with its users and their topic rights. */
package kontor.sim.broker;
