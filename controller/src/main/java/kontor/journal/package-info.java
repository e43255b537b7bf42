/** The event journal: a gap-free, durable sequence of events and its at-least-once, in-order delivery over MQTT. */
package kontor.journal;
