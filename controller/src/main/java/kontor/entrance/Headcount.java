package kontor.entrance;

import static kontor.core.Events.fields;

import kontor.device.Signal;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.mqtt.Json;
import kontor.site.CounterSpec;
import kontor.store.SiteState;

/**
 * How many people are in: the entrance counter's pulses in and out, never below zero, back to zero
 * at closing; kept across a restart, published retained on {@code occupancy}, and the
 * {@code over_capacity} alarm while more are in than the site's capacity allows.
 */
public final class Headcount implements SiteService {
    private static final String KEY = "entrance.present";

    private final SiteContext context;
    private final CounterSpec counter;
    private final SiteState state;
    private int present;

    public Headcount(SiteContext context) {
        this.context = context;
        this.counter = context.site().entrance() == null ? null : context.site().entrance().counter();
        this.state = new SiteState(context.db(), context.clock()::now);
    }

    /** The number of people in now. */
    public int present() {
        return present;
    }

    @Override
    public void start() {
        present = state.get(KEY).map(Integer::parseInt).orElse(0);
        publish();
    }

    @Override
    public void onSignal(Signal signal) {
        if (signal instanceof Signal.PeopleCounted p && counter != null && p.device().equals(counter.id())) {
            set(Math.max(0, present + p.in() - p.out()));
        }
    }

    @Override
    public void onClosed() {
        set(0);
    }

    private void set(int now) {
        if (now != present) {
            present = now;
            state.put(KEY, Integer.toString(now));
        }
        publish();
    }

    private void publish() {
        int capacity = context.site().capacity();
        context.retained().put(context.topics().occupancy(), Json.bytes(fields("present", present, "capacity", capacity)));
        String device = counter == null ? null : counter.id();
        if (present > capacity) {
            context.alarms().raise("over_capacity", device, fields("present", present, "capacity", capacity));
        } else {
            context.alarms().clear("over_capacity", device);
        }
    }
}
