package kontor.fleet;

import static kontor.core.Events.fields;

import java.security.PublicKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.TreeMap;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.members.FleetChange;
import kontor.mqtt.Json;
import kontor.mqtt.Message;
import kontor.mqtt.MqttPort;
import kontor.store.Tx;
import kontor.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the fleet directory at this site. Every entry is checked off the site thread (signature, form,
 * topic), then applied on it, in arrival order, in one transaction with its {@code fleet.applied} event; an
 * entry older than what this site already has for that member changes nothing, so the order a reconnect
 * replays the retained directory in does not matter. The cluster keeps the directory; this site keeps its
 * last applied copy in its own database and goes on deciding with it when the cluster is out of reach.
 *
 * <p>What it reports: {@code {root}/{site}/fleet/applied} (retained) with the highest directory version
 * applied here and when, at most once a second.
 */
public final class FleetDirectory implements SiteService {
    private static final Logger log = LoggerFactory.getLogger(FleetDirectory.class);
    /** How often the applied version is reported at most: a catch-up of thousands of entries sends one report. */
    static final Duration REPORT_EVERY = Duration.ofSeconds(1);
    /** How long a burst of entries may pause before what arrived is applied without the owner's version. */
    public static final Duration SETTLE = Duration.ofMillis(300);

    private final SiteContext site;
    private final MqttPort mqtt;
    private final PublicKey ownerKey;
    private final FleetTopics topics;
    private long applied;
    private boolean reportDue;
    private Scheduler.Timer reports;
    /** Entries received and not yet applied, by version (site thread only). */
    private final TreeMap<Long, DirectoryEntry> pending = new TreeMap<>();
    private Scheduler.Timer settle;

    public FleetDirectory(SiteContext site, MqttPort mqtt, PublicKey ownerKey) {
        this.site = site;
        this.mqtt = mqtt;
        this.ownerKey = ownerKey;
        this.topics = new FleetTopics(site.site().topicRoot());
    }

    @Override
    public void start() {
        applied = site.db().read(FleetDirectory::appliedVersion);
        report();
        reports = site.clock().every(REPORT_EVERY, () -> {
            if (reportDue) {
                report();
            }
        });
        mqtt.subscribe(topics.directory(), 1, this::received);
    }

    /** On the MQTT client's thread: the signature is checked here, so that the site thread only applies. */
    private void received(Message m) {
        if (m.payload().length == 0) {
            return; // an emptied retained topic: the owner never removes entries (a revoked one stays), so nothing to do
        }
        String member = topics.memberOf(m.topic());
        DirectoryEntry entry;
        try {
            entry = DirectoryEntry.verify(m.payload(), ownerKey, member);
        } catch (DirectoryEntry.Refused e) {
            log.warn("Fleet directory entry on {} refused: {}", m.topic(), e.getMessage());
            site.clock().execute(() -> site.alarms().raise("fleet.entry_refused", "gateway",
                    fields("topic", m.topic(), "reason", e.getMessage())));
            return;
        }
        site.clock().execute(() -> received(entry));
    }

    /**
     * Entries are applied in the owner's order. A reconnect delivers the retained directory (one entry per member,
     * in topic order) and what the cluster queued while the link was down, interleaved, in one burst: so entries
     * wait here, sorted by version, until the burst has settled for {@link #SETTLE}. The outcome never depends on
     * the order (an entry older than what a member has here changes nothing); the order is for the journal's
     * readers, who see the owner's changes as the owner made them.
     */
    private void received(DirectoryEntry entry) {
        pending.merge(entry.member().version(), entry, (a, b) -> a);
        if (settle != null) {
            settle.cancel();
        }
        settle = site.clock().schedule(SETTLE, this::flush);
    }

    private void flush() {
        if (settle != null) {
            settle.cancel();
            settle = null;
        }
        while (!pending.isEmpty()) {
            apply(pending.pollFirstEntry().getValue());
        }
    }

    void apply(DirectoryEntry entry) {
        FleetChange change = site.db().inTransaction(tx -> {
            FleetChange c = site.members().applyFleet(tx, entry.member(), entry.appliesTo(site.site().id()));
            if (c.kind() != FleetChange.Kind.UNCHANGED) {
                site.events().emit(tx, "fleet.applied", null, fields("version", entry.member().version(),
                        "fleet_member", entry.member().fleetId(), "member", c.member(), "change", c.kind().wireName()));
            }
            raiseApplied(tx, entry.member().version());
            return c;
        });
        if (change.kind() != FleetChange.Kind.CONFLICT && site.alarms().isActive("fleet.entry_refused", "gateway")) {
            site.alarms().clear("fleet.entry_refused", "gateway"); // the owner's entries come through again
        }
        if (change.kind() == FleetChange.Kind.CONFLICT) {
            log.warn("Fleet member {} has a card this site enrolled itself ({}); the site's enrolment stands",
                    entry.member().fleetId(), change.member());
        }
        if (entry.member().version() > applied) {
            applied = entry.member().version();
            reportDue = true;
        }
    }

    private void report() {
        reportDue = false;
        site.retained().put(topics.applied(site.site().id()), Json.bytes(fields(
                "version", applied, "at", site.events().time(site.clock().now()))));
    }

    /** The highest directory version this site has applied (for tests and the status report). */
    public long applied() {
        return applied;
    }

    private static long appliedVersion(Tx tx) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("SELECT version FROM fleet_applied WHERE id = 1");
             ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void raiseApplied(Tx tx, long version) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE fleet_applied SET version = GREATEST(version, ?) WHERE id = 1")) {
            p.setLong(1, version);
            p.executeUpdate();
        }
    }

    /** Stops reporting; the gateway closes the MQTT connection itself. */
    public void stop() {
        if (reports != null) {
            reports.cancel();
        }
        if (settle != null) {
            settle.cancel();
        }
    }
}
