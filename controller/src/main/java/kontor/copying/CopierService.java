package kontor.copying;

import static kontor.core.Events.fields;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kontor.core.TapDecision;
import kontor.device.Copier;
import kontor.device.Signal;
import kontor.core.CommandMembers;
import kontor.core.SiteContext;
import kontor.mqtt.CommandException;
import kontor.mqtt.CommandRequest;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;
import kontor.core.SiteService;
import kontor.members.Member;
import kontor.money.InsufficientFundsException;
import kontor.money.Ledger;
import kontor.site.CopierSpec;
import kontor.store.SqlTime;
import kontor.store.Tx;
import kontor.time.Scheduler;

/**
 * Card-operated copiers: a tap by a member who can pay for a page switches the copier's enable line on;
 * every page pulse is charged, with its {@code copier.page} event, in one transaction keyed by the page,
 * so a page is charged exactly once; the line goes off on a second tap, after the idle time, or as soon
 * as the balance no longer covers the next page.
 *
 * <p>Pulses after the line went off are journaled but never charged (the copier may still finish a sheet
 * that was under way). Those within {@link #GRACE} of the end are counted in the session's summary, which
 * is why {@code copier.session_ended} follows the end by the grace period.
 *
 * <p>A session is stored before the line goes on: one still open at start-up was cut short by a crash or
 * power cut. The driver leaves the line off; this service only journals the end, with reason {@code restart}.
 */
public final class CopierService implements SiteService {
    /** How long after a session ends a late pulse still counts in its summary. */
    static final Duration GRACE = Duration.ofSeconds(5);
    /** The ledger kind of a page charge. */
    public static final String COPY = "copy";

    private final SiteContext site;
    private final Ledger ledger;
    private final Map<String, CopierSpec> byId = new HashMap<>();
    private final Map<String, CopierSpec> byReader = new HashMap<>();
    /** Per copier: the session whose enable line is on. */
    private final Map<String, Session> active = new HashMap<>();
    /** Per copier: the session that ended less than the grace period ago, its summary not yet journaled. */
    private final Map<String, Session> ending = new HashMap<>();

    private static final class Session {
        final String id;
        final String copier;
        final String member;
        final Instant started;
        int pages;
        long amount;
        int uncharged;
        String reason;
        /** Who ended it, when a host did ({@code copier.end}). */
        String by;
        Instant ended;
        Scheduler.Timer idle;
        Scheduler.Timer grace;

        Session(String id, String copier, String member, Instant started) {
            this.id = id;
            this.copier = copier;
            this.member = member;
            this.started = started;
        }

        int nextPage() {
            return pages + uncharged + 1;
        }
    }

    public CopierService(SiteContext site) {
        this.site = site;
        this.ledger = Ledger.of(site);
        site.site().devices().stream().filter(CopierSpec.class::isInstance).map(CopierSpec.class::cast)
                .forEach(spec -> {
                    byId.put(spec.id(), spec);
                    if (spec.reader() != null) {
                        byReader.put(spec.reader(), spec);
                    }
                });
    }

    @Override
    public void registerCommands(CommandServer server) {
        server.register("copier.end", this::endCommand, "copier", "by");
    }

    /**
     * A host ends the session of a visitor who walked away: otherwise the copier stays theirs (and
     * refuses everyone else's tap with {@code copier_busy}) until the idle timeout.
     */
    private com.fasterxml.jackson.databind.JsonNode endCommand(CommandRequest r) throws CommandException {
        String id = r.requireText("copier");
        if (!byId.containsKey(id)) {
            throw CommandException.notFound("no copier called '" + id + "'");
        }
        Session s = active.get(id);
        if (s == null) {
            throw CommandException.conflict(id + " has no session running");
        }
        s.by = CommandMembers.by(r);
        end(s, "host");
        return Json.node(fields("session", s.id, "pages", s.pages, "amount", s.amount));
    }

    /** Closing time: a session still running ends, and its copier's line goes off with the building. */
    @Override
    public void onClosed() {
        List.copyOf(active.values()).forEach(s -> end(s, "closing"));
    }

    @Override
    public void start() {
        closeSessionsLeftOpen();
        byReader.keySet().forEach(reader -> site.taps().decideAt(reader, this::decide));
    }

    /** Sessions a crash or power cut cut short, or whose summary the grace period had not yet journaled. */
    private void closeSessionsLeftOpen() {
        Instant now = site.clock().now();
        site.db().inTransaction(tx -> {
            List<Session> left = new ArrayList<>();
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "SELECT session_id, copier_id, member_id, started_at, pages, amount, uncharged_pages, ended_at, reason "
                            + "FROM copier_sessions WHERE summarized = FALSE ORDER BY started_at")) {
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        Session s = new Session(rs.getString("session_id"), rs.getString("copier_id"),
                                rs.getString("member_id"), SqlTime.get(rs, "started_at"));
                        s.pages = rs.getInt("pages");
                        s.amount = rs.getLong("amount");
                        s.uncharged = rs.getInt("uncharged_pages");
                        s.ended = SqlTime.get(rs, "ended_at");
                        s.reason = rs.getString("reason");
                        left.add(s);
                    }
                }
            }
            for (Session s : left) {
                if (s.ended == null) {
                    s.ended = now;
                    s.reason = "restart";
                    try (PreparedStatement p = tx.connection().prepareStatement(
                            "UPDATE copier_sessions SET ended_at = ?, reason = ? WHERE session_id = ?")) {
                        SqlTime.set(p, 1, now);
                        p.setString(2, s.reason);
                        p.setString(3, s.id);
                        p.executeUpdate();
                    }
                }
                summarize(tx, s);
            }
            return null;
        });
        byId.keySet().forEach(id -> site.devices().update(id, "enabled", false));
    }

    // ---- taps

    private TapDecision decide(String reader, Member member, String maskedCard) {
        CopierSpec spec = byReader.get(reader);
        Session current = active.get(spec.id());
        if (current != null) {
            if (current.member.equals(member.id())) {
                return TapDecision.grant(fields("copier", spec.id(), "session", current.id, "action", "end"),
                        () -> end(current, "second_tap"));
            }
            return TapDecision.deny("copier_busy");
        }
        if (site.devices().copier(spec.id()).isEmpty()) {
            return TapDecision.deny("out_of_service");
        }
        if (!covers(ledger.balance(member.id()), spec.priceMono())) {
            return TapDecision.deny("insufficient_funds");
        }
        return TapDecision.grant(fields("copier", spec.id(), "action", "start"), () -> begin(spec, member.id()));
    }

    private boolean covers(long balance, long price) {
        return balance + ledger.creditLimit() >= price;
    }

    private void begin(CopierSpec spec, String member) {
        Session previous = ending.remove(spec.id());
        if (previous != null) {
            previous.grace.cancel();
            site.db().inTransaction(tx -> {
                summarize(tx, previous);
                return null;
            });
        }
        Session s = new Session(UUID.randomUUID().toString(), spec.id(), member, site.clock().now());
        // Stored before the line goes on: a crash from here on leaves a session to close at restart.
        site.db().inTransaction(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "INSERT INTO copier_sessions (session_id, copier_id, member_id, started_at, pages, amount, "
                            + "uncharged_pages, summarized) VALUES (?, ?, ?, ?, 0, 0, 0, FALSE)")) {
                p.setString(1, s.id);
                p.setString(2, s.copier);
                p.setString(3, s.member);
                SqlTime.set(p, 4, s.started);
                p.executeUpdate();
            }
            site.events().emit(tx, "copier.session_started", s.copier, fields(
                    "member", s.member, "session", s.id, "price_mono", spec.priceMono(), "price_colour", spec.priceColour()));
            return null;
        });
        Copier copier = site.devices().copier(spec.id()).orElseThrow();
        copier.enable(true);
        site.devices().update(spec.id(), "enabled", true);
        active.put(spec.id(), s);
        armIdle(s);
    }

    private void armIdle(Session s) {
        if (s.idle != null) {
            s.idle.cancel();
        }
        s.idle = site.clock().schedule(site.site().policy().copierIdle(), () -> {
            if (active.get(s.copier) == s) {
                end(s, "idle");
            }
        });
    }

    /** The line goes off at once; the summary follows when the grace period for late pulses is over. */
    private void end(Session s, String reason) {
        if (active.get(s.copier) != s) {
            return;
        }
        active.remove(s.copier);
        site.devices().copier(s.copier).ifPresent(c -> c.enable(false));
        site.devices().update(s.copier, "enabled", false);
        if (s.idle != null) {
            s.idle.cancel();
        }
        s.reason = reason;
        s.ended = site.clock().now();
        site.db().inTransaction(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "UPDATE copier_sessions SET ended_at = ?, reason = ? WHERE session_id = ?")) {
                SqlTime.set(p, 1, s.ended);
                p.setString(2, reason);
                p.setString(3, s.id);
                p.executeUpdate();
            }
            return null;
        });
        ending.put(s.copier, s);
        s.grace = site.clock().schedule(GRACE, () -> {
            if (ending.remove(s.copier, s)) {
                site.db().inTransaction(tx -> {
                    summarize(tx, s);
                    return null;
                });
            }
        });
    }

    private void summarize(Tx tx, Session s) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE copier_sessions SET summarized = TRUE WHERE session_id = ?")) {
            p.setString(1, s.id);
            p.executeUpdate();
        }
        site.events().emit(tx, "copier.session_ended", s.copier, fields(
                "member", s.member, "session", s.id, "reason", s.reason, "pages", s.pages, "amount", s.amount,
                "uncharged_pages", s.uncharged, "started", s.started, "ended", s.ended, "by", s.by));
    }

    // ---- pages

    @Override
    public void onSignal(Signal signal) {
        if (signal instanceof Signal.PagesCounted p && byId.containsKey(p.device())) {
            CopierSpec spec = byId.get(p.device());
            for (int i = 0; i < p.mono(); i++) {
                page(spec, false);
            }
            for (int i = 0; i < p.colour(); i++) {
                page(spec, true);
            }
        }
    }

    private void page(CopierSpec spec, boolean colour) {
        String kind = colour ? "colour" : "mono";
        long price = colour && spec.priceColour() != null ? spec.priceColour() : spec.priceMono();
        Session s = active.get(spec.id());
        if (s == null) {
            Session late = ending.get(spec.id());
            if (late != null && !site.clock().now().isAfter(late.ended.plus(GRACE))) {
                uncharged(late, kind, "session_ended");
            } else {
                site.events().emit("copier.page", spec.id(), fields("kind", kind, "charged", false, "reason", "no_session"));
            }
            return;
        }
        int page = s.nextPage();
        String key = "copier:" + s.copier + ":" + s.id + ":" + page;
        long balance;
        try {
            balance = site.db().inTransaction(tx -> {
                Ledger.Posting posting = ledger.charge(tx, s.member, price, COPY, key, s.copier,
                        fields("session", s.id, "page", page));
                try (PreparedStatement p = tx.connection().prepareStatement(
                        "UPDATE copier_sessions SET pages = pages + 1, amount = amount + ? WHERE session_id = ?")) {
                    p.setLong(1, price);
                    p.setString(2, s.id);
                    p.executeUpdate();
                }
                site.events().emit(tx, "copier.page", s.copier, fields("member", s.member, "session", s.id,
                        "page", page, "kind", kind, "amount", price, "charged", true, "balance", posting.balance()));
                return posting.balance();
            });
        } catch (InsufficientFundsException e) {
            // Only a colour page dearer than the mono price can get here: the line is off before a mono page can't be paid.
            uncharged(s, kind, "insufficient_funds");
            end(s, "balance");
            return;
        }
        s.pages++;
        s.amount += price;
        if (covers(balance, spec.priceMono())) {
            armIdle(s);
        } else {
            end(s, "balance");
        }
    }

    private void uncharged(Session s, String kind, String reason) {
        int page = s.nextPage();
        site.db().inTransaction(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "UPDATE copier_sessions SET uncharged_pages = uncharged_pages + 1 WHERE session_id = ?")) {
                p.setString(1, s.id);
                p.executeUpdate();
            }
            site.events().emit(tx, "copier.page", s.copier, fields("member", s.member, "session", s.id,
                    "page", page, "kind", kind, "amount", 0, "charged", false, "reason", reason));
            return null;
        });
        s.uncharged++;
    }
}
