package kontor.money;

import static kontor.core.Events.fields;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kontor.core.Events;
import kontor.core.SiteContext;
import kontor.store.Database;
import kontor.store.SqlTime;
import kontor.store.Tx;
import kontor.time.Scheduler;

/**
 * Members' money as a ledger in minor units. The balance is the sum of the member's postings; the
 * {@code accounts} row holds that sum so a charge can lock it and check the credit limit.
 *
 * <p>Every posting runs inside the caller's transaction together with what it pays for, and journals its
 * event ({@code payment.charged} / {@code payment.credited}) in the same transaction. Every posting has an
 * idempotency key: a second posting with a key already in the ledger changes nothing and returns the first.
 * Keys are the caller's to choose so that the same deed always makes the same key, e.g.
 * {@code cmd:member.credit:<request id>} or {@code deposit:<assignment>}.
 *
 * <p>Stateless apart from its settings: any number of instances may share one database.
 */
public final class Ledger {
    /** Kinds of postings this package and the lockers make; other areas add their own (e.g. {@code copy}). */
    public static final String TOP_UP = "top_up";
    public static final String DEPOSIT_HOLD = "deposit_hold";
    public static final String DEPOSIT_RETURN = "deposit_return";
    public static final String DEPOSIT_KEPT = "deposit_kept";
    public static final String RENTAL_FEE = "rental_fee";
    /** Money paid back to the member over the desk ({@code member.refund}). */
    public static final String REFUND = "refund";

    /** The largest single posting: keeps every sum far from overflowing. */
    public static final long MAX_AMOUNT = 1_000_000_000L;

    /** One posting as it stands in the ledger; {@code applied} is false when its key was already there. */
    public record Posting(String key, String member, long amount, String kind, long balance, boolean applied) { }

    private final Database db;
    private final Events events;
    private final Scheduler clock;
    private final long creditLimit;

    /** @param creditLimit how far below zero a balance may go, in minor units (0: never below zero) */
    public Ledger(Database db, Events events, Scheduler clock, long creditLimit) {
        this.db = Objects.requireNonNull(db);
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        if (creditLimit < 0) {
            throw new IllegalArgumentException("the credit limit is a distance below zero and must not be negative");
        }
        this.creditLimit = creditLimit;
    }

    /** The site's ledger, with the site's credit limit. */
    public static Ledger of(SiteContext site) {
        return new Ledger(site.db(), site.events(), site.clock(),
                site.site().policy().creditLimit());
    }

    public long creditLimit() {
        return creditLimit;
    }

    public long balance(String member) {
        return db.read(tx -> balance(tx, member));
    }

    public long balance(Tx tx, String member) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("SELECT balance FROM accounts WHERE member_id = ?")) {
            p.setString(1, member);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Takes {@code amount} from the member, journaling {@code payment.charged}.
     *
     * @param device the device the charge is for (a locker, a copier), or null
     * @param extra  more event fields (e.g. {@code locker}); never a name or a card
     * @throws InsufficientFundsException when the balance would fall below the credit limit; nothing is written
     */
    public Posting charge(Tx tx, String member, long amount, String kind, String key, String device,
            Map<String, Object> extra) throws SQLException {
        requireAmount(amount);
        return post(tx, member, -amount, kind, key, null, device, extra);
    }

    /** Gives {@code amount} to the member, journaling {@code payment.credited}. */
    public Posting credit(Tx tx, String member, long amount, String kind, String key, String device,
            Map<String, Object> extra) throws SQLException {
        requireAmount(amount);
        return post(tx, member, amount, kind, key, null, device, extra);
    }

    /** Returns a held deposit to the member: the hold's amount, referring to the hold. */
    public Posting returnDeposit(Tx tx, String holdKey, String device, Map<String, Object> extra) throws SQLException {
        Posting hold = find(tx, holdKey).orElseThrow(() -> new IllegalStateException("no deposit held under " + holdKey));
        return post(tx, hold.member(), -hold.amount(), DEPOSIT_RETURN, "return:" + holdKey, holdKey, device, extra);
    }

    /**
     * Keeps a held deposit: the money already left the balance when it was held, so this posting is of
     * zero; it settles the hold and journals {@code payment.deposit_kept} with the amount kept.
     */
    public Posting keepDeposit(Tx tx, String holdKey, String device, Map<String, Object> extra) throws SQLException {
        Posting hold = find(tx, holdKey).orElseThrow(() -> new IllegalStateException("no deposit held under " + holdKey));
        Optional<Posting> done = find(tx, "kept:" + holdKey);
        if (done.isPresent()) {
            return withApplied(done.get(), false);
        }
        insert(tx, hold.member(), 0, DEPOSIT_KEPT, "kept:" + holdKey, holdKey, device);
        long balance = balance(tx, hold.member());
        Map<String, Object> f = fields("member", hold.member(), "amount", -hold.amount(), "reason", DEPOSIT_KEPT,
                "balance", balance);
        f.putAll(extra == null ? Map.of() : extra);
        events.emit(tx, "payment.deposit_kept", device, f);
        return new Posting("kept:" + holdKey, hold.member(), 0, DEPOSIT_KEPT, balance, true);
    }

    /** Whether a posting with this key is in the ledger. */
    public boolean posted(Tx tx, String key) throws SQLException {
        return find(tx, key).isPresent();
    }

    /** The posting with this key (its {@code balance} is the member's balance now). */
    public Optional<Posting> find(Tx tx, String key) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "SELECT member_id, amount, kind FROM ledger WHERE idem_key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String member = rs.getString(1);
                return Optional.of(new Posting(key, member, rs.getLong(2), rs.getString(3), balance(tx, member), false));
            }
        }
    }

    private Posting post(Tx tx, String member, long signed, String kind, String key, String ref, String device,
            Map<String, Object> extra) throws SQLException {
        Objects.requireNonNull(member, "member");
        requireKey(key);
        Optional<Posting> earlier = find(tx, key);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        long before = lockAccount(tx, member);
        long after = before + signed;
        if (signed < 0 && after < -creditLimit) {
            throw new InsufficientFundsException(before, -signed);
        }
        insert(tx, member, signed, kind, key, ref, device);
        try (PreparedStatement p = tx.connection().prepareStatement("UPDATE accounts SET balance = ? WHERE member_id = ?")) {
            p.setLong(1, after);
            p.setString(2, member);
            p.executeUpdate();
        }
        Map<String, Object> f = fields("member", member, "amount", Math.abs(signed), "reason", kind, "balance", after);
        f.putAll(extra == null ? Map.of() : extra);
        events.emit(tx, signed < 0 ? "payment.charged" : "payment.credited", device, f);
        return new Posting(key, member, signed, kind, after, true);
    }

    private void insert(Tx tx, String member, long signed, String kind, String key, String ref, String device)
            throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "INSERT INTO ledger (member_id, amount, kind, idem_key, ref, device, ts) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, member);
            p.setLong(2, signed);
            p.setString(3, kind);
            p.setString(4, key);
            p.setString(5, ref);
            p.setString(6, device);
            SqlTime.set(p, 7, clock.now());
            p.executeUpdate();
        }
    }

    /** The balance, with the account row locked until the transaction ends (created at 0 if new). */
    private static long lockAccount(Tx tx, String member) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "INSERT INTO accounts (member_id, balance) SELECT ?, 0 WHERE NOT EXISTS "
                        + "(SELECT 1 FROM accounts WHERE member_id = ?)")) {
            p.setString(1, member);
            p.setString(2, member);
            p.executeUpdate();
        }
        try (PreparedStatement p = tx.connection().prepareStatement(
                "SELECT balance FROM accounts WHERE member_id = ? FOR UPDATE")) {
            p.setString(1, member);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Posting withApplied(Posting p, boolean applied) {
        return new Posting(p.key(), p.member(), p.amount(), p.kind(), p.balance(), applied);
    }

    private static void requireAmount(long amount) {
        if (amount <= 0 || amount > MAX_AMOUNT) {
            throw new IllegalArgumentException("an amount must be 1 to " + MAX_AMOUNT + " minor units, not " + amount);
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isBlank() || key.length() > 300) {
            throw new IllegalArgumentException("an idempotency key must have 1 to 300 characters");
        }
    }
}
