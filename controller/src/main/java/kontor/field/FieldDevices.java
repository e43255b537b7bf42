package kontor.field;

import static kontor.core.Events.fields;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import kontor.device.Health;
import kontor.device.Signal;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.mqtt.Message;
import kontor.mqtt.MqttPort;
import kontor.site.DeviceSpec;
import kontor.site.FieldSource;
import kontor.site.PresenceSpec;
import kontor.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices that report from the field rather than over a wire: it subscribes to every MQTT device's
 * topics (Zigbee2MQTT conventions) and keeps the health rules of all field devices, MQTT and CoAP alike:
 *
 * <ul>
 *   <li>a device with a report interval that stays silent for {@code missed_heartbeats} of them goes offline
 *       (the gateway then raises {@code device.offline}); its next report brings it back;</li>
 *   <li>a battery below {@value #BATTERY_LOW} % raises {@code device.battery_low}, cleared once a report says
 *       {@value #BATTERY_OK} % or more (a battery hovering at the threshold does not make the alarm flap).</li>
 * </ul>
 */
public final class FieldDevices implements SiteService {
    private static final Logger log = LoggerFactory.getLogger(FieldDevices.class);
    static final int BATTERY_LOW = 20;
    static final int BATTERY_OK = 25;
    static final String BATTERY_ALARM = "device.battery_low";

    private final SiteContext site;
    private final MqttPort mqtt;
    private final Consumer<Signal> signals;
    private final Map<String, DeviceSpec> fieldDevices = new HashMap<>();
    private final Map<String, Scheduler.Timer> watchdogs = new HashMap<>();
    /** Field devices heard from since the gateway started. */
    private final Set<String> heard = new HashSet<>();

    /**
     * @param signals the gateway's {@code signal}: where what MQTT devices say, and the watchdog's verdicts, go
     */
    public FieldDevices(SiteContext site, MqttPort mqtt, Consumer<Signal> signals) {
        this.site = site;
        this.mqtt = mqtt;
        this.signals = signals;
        for (DeviceSpec spec : site.site().devices()) {
            spec.fieldSource().ifPresent(source -> fieldDevices.put(spec.id(), spec));
        }
    }

    @Override
    public void start() {
        for (DeviceSpec device : site.site().mqttDevices()) {
            var source = (PresenceSpec.MqttSource) device.fieldSource().orElseThrow();
            mqtt.subscribe(source.topic(), 1, m -> onState(device, source, m));
            if (source.availabilityTopic() != null) {
                mqtt.subscribe(source.availabilityTopic(), 1, m -> onAvailability(device, m));
            }
        }
        fieldDevices.keySet().forEach(this::arm);
    }

    @Override
    public void onSignal(Signal signal) {
        DeviceSpec device = fieldDevices.get(signal.device());
        if (device == null) {
            return;
        }
        switch (signal) {
            case Signal.HealthChanged h when !h.health().isOnline() -> offline(device.id(), h.health());
            case Signal.BatteryReport b -> {
                heard(device.id());
                battery(b);
            }
            default -> heard(device.id());
        }
    }

    /** What an MQTT device published on its state topic (on the MQTT thread). */
    private void onState(DeviceSpec device, PresenceSpec.MqttSource source, Message message) {
        if (message.payload().length == 0) {
            return; // a retained state deleted: nothing was said
        }
        List<Signal> said;
        try {
            said = Zigbee2Mqtt.state(device, message.payload());
        } catch (IllegalArgumentException e) {
            log.warn("Ignored a malformed message of {} on {}: {}", device.id(), message.topic(), e.getMessage());
            return;
        }
        if (source.availabilityTopic() == null) {
            // Without an availability topic, a message is the only sign of life.
            signals.accept(new Signal.HealthChanged(device.id(), Health.ONLINE));
        }
        said.forEach(signals);
    }

    private void onAvailability(DeviceSpec device, Message message) {
        Zigbee2Mqtt.availability(message.payload()).ifPresentOrElse(
                health -> signals.accept(new Signal.HealthChanged(device.id(), health)),
                () -> log.warn("Ignored an availability message of {} on {}: expected online or offline",
                        device.id(), message.topic()));
    }

    /** A sign of life: the watchdog starts over. */
    private void heard(String device) {
        heard.add(device);
        arm(device);
    }

    private void arm(String device) {
        Duration interval = fieldDevices.get(device).fieldSource().map(FieldSource::reportInterval).orElse(null);
        if (interval == null) {
            return;
        }
        int missed = site.site().policy().missedHeartbeats();
        Duration silence = interval.multipliedBy(missed);
        Scheduler.Timer old = watchdogs.put(device, site.clock().schedule(silence, () -> signals.accept(
                new Signal.HealthChanged(device, Health.offline("no report for " + missed + " report intervals of "
                        + interval.toSeconds() + " s")))));
        if (old != null) {
            old.cancel();
        }
    }

    /**
     * The gateway raises {@code device.offline} when a device it saw online goes offline. A field device that
     * has not reported at all since the gateway started was never online here, so the alarm is raised here.
     */
    private void offline(String device, Health health) {
        if (!heard.contains(device) && !site.alarms().isActive("device.offline", device)) {
            Map<String, Object> detail = fields("detail", health.detail());
            site.events().emit("device.offline", device, detail);
            site.alarms().raise("device.offline", device, detail);
        }
    }

    private void battery(Signal.BatteryReport b) {
        if (b.percent() < BATTERY_LOW) {
            site.alarms().raise(BATTERY_ALARM, b.device(), fields("battery", b.percent()));
        } else if (b.percent() >= BATTERY_OK) {
            site.alarms().clear(BATTERY_ALARM, b.device());
        }
    }
}
