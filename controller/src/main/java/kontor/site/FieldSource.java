package kontor.site;

import java.time.Duration;

/**
 * Where a field device's reports come from when it is not wired to the gateway: an MQTT topic (Zigbee2MQTT
 * conventions) or CoAP reports from a battery node. Presence sensors, contact sensors and people counters
 * may have one.
 */
public sealed interface FieldSource permits PresenceSpec.MqttSource, PresenceSpec.CoapSource {

    /**
     * How often the device promises to report, or null when it makes no promise (an MQTT device that only
     * has an availability topic). A device silent for {@code missed_heartbeats} of these is offline.
     */
    Duration reportInterval();
}
