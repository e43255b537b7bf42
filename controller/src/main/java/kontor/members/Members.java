package kontor.members;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import kontor.device.Cards;
import kontor.store.Database;
import kontor.store.SqlTime;
import kontor.store.Tx;

/**
 * Members and the cards that identify them. A card is stored only as its keyed hash ({@link CardHasher})
 * and its last four characters; nothing here logs or returns a raw card.
 *
 * <p>Revocation is final for a card: a revoked card cannot be enrolled again (that is a {@code conflict}),
 * so a card reported lost or stolen cannot come back into use by a mistaken enrolment. The member is
 * given a new card instead.
 */
public final class Members {
    private static final String DUPLICATE_KEY = "23505";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int ID_CHARS = 10;
    private static final String SELECT_MEMBER =
            "SELECT m.id, m.role, m.accessible, m.valid_until, m.revoked, m.enrolled FROM members m ";

    private final Database db;
    private final CardHasher hasher;
    /** The fleet key's hasher when the site belongs to a fleet (docs/fleet.md); null otherwise. */
    private final CardHasher fleetHasher;
    private final Supplier<Instant> clock;
    private final SecureRandom random = new SecureRandom();
    /**
     * Members found by a tap, by card hash, so that the next tap of the same card needs no database
     * read (it is on the path to the lock). Only this class writes members and cards: enrolling adds
     * nothing that could be stale, revoking empties it. Bounded: a site has hundreds of members.
     */
    private final Map<String, Member> tapped = new ConcurrentHashMap<>();
    private static final int TAPPED_MAX = 20_000;
    /** Moves at every revocation: a member read before it is not kept (it may be stale). */
    private final AtomicLong revocations = new AtomicLong();

    /** With the system clock: for tools that run outside the gateway (card import). */
    public Members(Database db, CardHasher hasher) {
        this(db, hasher, Instant::now);
    }

    /** @param clock the site's clock, e.g. {@code scheduler::now} */
    public Members(Database db, CardHasher hasher, Supplier<Instant> clock) {
        this(db, hasher, null, clock);
    }

    /**
     * @param fleetHasher hashes cards with the fleet key, so that a card the fleet directory issued (stored only as
     *     that hash) is found too; null for a site outside any fleet
     */
    public Members(Database db, CardHasher hasher, CardHasher fleetHasher, Supplier<Instant> clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.fleetHasher = fleetHasher;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Enrols {@code card} as a new member, in a transaction of its own. */
    public Member enroll(String card, Role role, boolean accessible, Instant validUntil) {
        return db.inTransaction(tx -> enroll(tx, card, role, accessible, validUntil));
    }

    /**
     * Enrols {@code card} as a new member inside the caller's transaction (an import is all or nothing).
     *
     * @param validUntil null for no end; else it must lie in the future
     * @throws MemberException {@code bad_request} for a malformed card, a missing role or a past end;
     *     {@code conflict} when the card is already enrolled, revoked or not
     */
    public Member enroll(Tx tx, String card, Role role, boolean accessible, Instant validUntil) throws SQLException {
        String normalised = normalise(card);
        if (role == null) {
            throw new MemberException(MemberException.BAD_REQUEST, "role must be visitor, host or admin");
        }
        Instant now = SqlTime.stored(clock.get());
        if (validUntil != null && !validUntil.isAfter(now)) {
            throw new MemberException(MemberException.BAD_REQUEST, "valid_until must lie in the future");
        }
        String hash = hasher.hash(normalised);
        Optional<Member> existing = byCardHashes(tx, normalised);
        if (existing.isPresent()) {
            throw conflict(normalised, existing.get());
        }
        Member member = new Member(newId(tx), role, accessible,
                validUntil == null ? null : SqlTime.stored(validUntil), false, now);
        try (PreparedStatement p = tx.connection().prepareStatement(
                "INSERT INTO members (id, role, accessible, valid_until, revoked, enrolled) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, member.id());
            p.setString(2, role.wireName());
            p.setBoolean(3, accessible);
            SqlTime.set(p, 4, member.validUntil());
            p.setBoolean(5, false);
            SqlTime.set(p, 6, now);
            p.executeUpdate();
        }
        try (PreparedStatement p = tx.connection().prepareStatement(
                "INSERT INTO cards (card_hash, member_id, last4, enrolled) VALUES (?, ?, ?, ?)")) {
            p.setString(1, hash);
            p.setString(2, member.id());
            p.setString(3, normalised.substring(Math.max(0, normalised.length() - 4)));
            SqlTime.set(p, 4, now);
            p.executeUpdate();
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                // Enrolled concurrently by someone else a moment ago.
                throw new MemberException(MemberException.CONFLICT, "card " + Cards.mask(normalised) + " is already enrolled");
            }
            throw e;
        }
        return member;
    }

    /** Revokes the member that {@code card} belongs to; harmless when already revoked. */
    public Member revoke(String card) {
        return db.inTransaction(tx -> revoke(tx, card));
    }

    /**
     * @return the member as it is now
     * @throws MemberException {@code bad_request} for a malformed card, {@code not_found} for an unknown one
     */
    public Member revoke(Tx tx, String card) throws SQLException {
        String normalised = normalise(card);
        Member member = byCardHashes(tx, normalised).orElseThrow(() -> new MemberException(
                MemberException.NOT_FOUND, "card " + Cards.mask(normalised) + " is not enrolled"));
        try (PreparedStatement p = tx.connection().prepareStatement("UPDATE members SET revoked = TRUE WHERE id = ?")) {
            p.setString(1, member.id());
            p.executeUpdate();
        }
        // Now (a tap on this thread before the commit must not see the member as it was) and after the commit.
        forgetTapped();
        tx.afterCommit(this::forgetTapped);
        return new Member(member.id(), member.role(), member.accessible(), member.validUntil(), true, member.enrolled());
    }

    /** Revokes a member by its id (every card of it); harmless when already revoked. */
    public Member revokeMember(String memberId) {
        return db.inTransaction(tx -> {
            Member member = byId(tx, memberId).orElseThrow(() -> new MemberException(
                    MemberException.NOT_FOUND, "no such member"));
            try (PreparedStatement p = tx.connection().prepareStatement("UPDATE members SET revoked = TRUE WHERE id = ?")) {
                p.setString(1, member.id());
                p.executeUpdate();
            }
            forgetTapped();
            tx.afterCommit(this::forgetTapped);
            return new Member(member.id(), member.role(), member.accessible(), member.validUntil(), true, member.enrolled());
        });
    }

    /** The member a card belongs to (revoked and expired ones too); empty for an unknown or malformed card. */
    public Optional<Member> byCard(String card) {
        return db.read(tx -> byCard(tx, card));
    }

    public Optional<Member> byCard(Tx tx, String card) throws SQLException {
        String normalised;
        try {
            normalised = Cards.normalise(card);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return byCardHashes(tx, normalised);
    }

    /** The member of a normalised card: by its site-keyed hash, else (in a fleet) by its fleet-keyed one. */
    private Optional<Member> byCardHashes(Tx tx, String normalised) throws SQLException {
        Optional<Member> local = byHash(tx, hasher.hash(normalised));
        if (local.isPresent() || fleetHasher == null) {
            return local;
        }
        return byHash(tx, fleetHasher.hash(normalised));
    }

    public Optional<Member> byId(String id) {
        return db.read(tx -> byId(tx, id));
    }

    public Optional<Member> byId(Tx tx, String id) throws SQLException {
        if (id == null) {
            return Optional.empty();
        }
        try (PreparedStatement p = tx.connection().prepareStatement(SELECT_MEMBER + "WHERE m.id = ?")) {
            p.setString(1, id);
            return single(p);
        }
    }

    /**
     * Sets (or with null removes) the member's e-mail address, by which calendar events name their booker.
     * An address belongs to one member at most: {@code conflict} when another has it.
     */
    public void setEmail(String memberId, String email) {
        String address = email == null ? null : Emails.normalise(email);
        db.inTransaction(tx -> {
            setEmail(tx, memberId, address);
            return null;
        });
    }

    /** {@link #setEmail(String, String)} inside the caller's transaction (a card import is all or nothing). */
    public void setEmail(Tx tx, String memberId, String email) throws SQLException {
        String address = email == null ? null : Emails.normalise(email);
        byId(tx, memberId).orElseThrow(() -> new MemberException(MemberException.NOT_FOUND, "no such member"));
        Optional<Member> holder = address == null ? Optional.empty() : byEmail(tx, address);
        if (holder.isPresent() && !holder.get().id().equals(memberId)) {
            throw new MemberException(MemberException.CONFLICT, "another member (" + holder.get().id()
                    + ") has that e-mail address");
        }
        try (PreparedStatement p = tx.connection().prepareStatement("UPDATE members SET email = ? WHERE id = ?")) {
            p.setString(1, address);
            p.setString(2, memberId);
            p.executeUpdate();
        }
    }

    /** The member's e-mail address (unmasked: for matching, never for showing), if it has one. */
    public Optional<String> email(String memberId) {
        return db.read(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement("SELECT email FROM members WHERE id = ?")) {
                p.setString(1, memberId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** The member with that address (already normalised), revoked ones too. */
    public Optional<Member> byEmail(String address) {
        return db.read(tx -> byEmail(tx, address));
    }

    /** The member with that address (already normalised), revoked ones too. */
    public Optional<Member> byEmail(Tx tx, String address) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(SELECT_MEMBER + "WHERE m.email = ?")) {
            p.setString(1, address);
            return single(p);
        }
    }

    /** The member's cards as they may be shown: {@code …} and the last four characters, oldest first. */
    public List<String> maskedCards(String memberId) {
        return db.read(tx -> {
            List<String> masked = new ArrayList<>();
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "SELECT last4 FROM cards WHERE member_id = ? ORDER BY enrolled, last4")) {
                p.setString(1, memberId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        masked.add(Cards.mask(rs.getString(1)));
                    }
                }
            }
            return masked;
        });
    }

    /** Whether {@code card} opens anything at {@code now}. A malformed card is an unknown card. */
    public AccessCheck check(String card, Instant now) {
        Objects.requireNonNull(now, "now");
        Optional<Member> found = tappedMember(card);
        if (found.isEmpty()) {
            return new AccessCheck.Denied(AccessCheck.UNKNOWN_CARD, null);
        }
        Member member = found.get();
        if (member.revoked()) {
            return new AccessCheck.Denied(AccessCheck.REVOKED, member);
        }
        if (member.expiredAt(now)) {
            return new AccessCheck.Denied(AccessCheck.EXPIRED, member);
        }
        return new AccessCheck.Granted(member);
    }

    private Optional<Member> tappedMember(String card) {
        String hash;
        try {
            hash = hasher.hash(card);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Member known = tapped.get(hash);
        if (known != null) {
            return Optional.of(known);
        }
        long before = revocations.get();
        Optional<Member> found = db.read(tx -> byCardHashes(tx, Cards.normalise(card)));
        if (found.isPresent() && revocations.get() == before) {
            if (tapped.size() >= TAPPED_MAX) {
                tapped.clear();
            }
            tapped.put(hash, found.get());
        }
        return found;
    }

    /**
     * Applies one entry of the fleet directory inside the caller's transaction: a fleet member is a member
     * like any other here (balance, lockers and bookings per site), found by the card hash the owner computed
     * with the fleet key. Entries apply in version order per member; an older or repeated version changes
     * nothing. Revocation is final, as for a site's own cards.
     *
     * @param here whether the entry names this site (or all sites); a member that no longer does keeps its
     *     history here, but its card opens nothing until an entry names the site again
     */
    public FleetChange applyFleet(Tx tx, FleetMember entry, boolean here) throws SQLException {
        Objects.requireNonNull(entry, "entry");
        String id = null;
        long applied = -1;
        boolean revoked = false;
        try (PreparedStatement p = tx.connection().prepareStatement(
                "SELECT id, fleet_version, revoked FROM members WHERE fleet_id = ?")) {
            p.setString(1, entry.fleetId());
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    id = rs.getString(1);
                    applied = rs.getLong(2);
                    revoked = rs.getBoolean(3);
                }
            }
        }
        if (id != null && entry.version() <= applied) {
            return new FleetChange(id, FleetChange.Kind.UNCHANGED);
        }
        Instant now = SqlTime.stored(clock.get());
        Instant validUntil = entry.validUntil() == null ? null : SqlTime.stored(entry.validUntil());
        if (id == null) {
            if (entry.revoked() || !here) {
                return new FleetChange(null, FleetChange.Kind.UNCHANGED); // nothing of it was ever here
            }
            Optional<Member> holder = byHash(tx, entry.cardHash());
            if (holder.isPresent()) {
                return new FleetChange(holder.get().id(), FleetChange.Kind.CONFLICT);
            }
            id = newId(tx);
            try (PreparedStatement p = tx.connection().prepareStatement("INSERT INTO members "
                    + "(id, role, accessible, valid_until, revoked, enrolled, fleet_id, fleet_version) VALUES (?, ?, ?, ?, FALSE, ?, ?, ?)")) {
                p.setString(1, id);
                p.setString(2, entry.role().wireName());
                p.setBoolean(3, entry.accessible());
                SqlTime.set(p, 4, validUntil);
                SqlTime.set(p, 5, now);
                p.setString(6, entry.fleetId());
                p.setLong(7, entry.version());
                p.executeUpdate();
            }
            insertCard(tx, entry, id, now);
            return new FleetChange(id, FleetChange.Kind.ADDED);
        }
        if (revoked) {
            setFleetVersion(tx, id, entry.version());
            return new FleetChange(id, FleetChange.Kind.UNCHANGED);
        }
        try (PreparedStatement p = tx.connection().prepareStatement("UPDATE members SET role = ?, accessible = ?, "
                + "valid_until = ?, revoked = ?, fleet_version = ? WHERE id = ?")) {
            p.setString(1, entry.role().wireName());
            p.setBoolean(2, entry.accessible());
            SqlTime.set(p, 3, validUntil);
            p.setBoolean(4, entry.revoked());
            p.setLong(5, entry.version());
            p.setString(6, id);
            p.executeUpdate();
        }
        try (PreparedStatement p = tx.connection().prepareStatement("DELETE FROM cards WHERE member_id = ?")) {
            p.setString(1, id);
            p.executeUpdate();
        }
        // A revoked card stays known (a tap says "revoked", not "unknown"); one not for this site is unknown here.
        if (here || entry.revoked()) {
            if (byHash(tx, entry.cardHash()).isPresent()) {
                return new FleetChange(id, FleetChange.Kind.CONFLICT);
            }
            insertCard(tx, entry, id, now);
        }
        forgetTapped();
        tx.afterCommit(this::forgetTapped);
        return new FleetChange(id, entry.revoked() ? FleetChange.Kind.REVOKED
                : here ? FleetChange.Kind.UPDATED : FleetChange.Kind.NOT_HERE);
    }

    private static void insertCard(Tx tx, FleetMember entry, String memberId, Instant now) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "INSERT INTO cards (card_hash, member_id, last4, enrolled) VALUES (?, ?, ?, ?)")) {
            p.setString(1, entry.cardHash());
            p.setString(2, memberId);
            p.setString(3, entry.last4());
            SqlTime.set(p, 4, now);
            p.executeUpdate();
        }
    }

    private static void setFleetVersion(Tx tx, String id, long version) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("UPDATE members SET fleet_version = ? WHERE id = ?")) {
            p.setLong(1, version);
            p.setString(2, id);
            p.executeUpdate();
        }
    }

    private void forgetTapped() {
        revocations.incrementAndGet();
        tapped.clear();
    }

    private static String normalise(String card) {
        try {
            return Cards.normalise(card);
        } catch (IllegalArgumentException e) {
            throw new MemberException(MemberException.BAD_REQUEST, e.getMessage());
        }
    }

    private static MemberException conflict(String normalised, Member existing) {
        return new MemberException(MemberException.CONFLICT, existing.revoked()
                ? "card " + Cards.mask(normalised) + " was revoked and cannot be enrolled again"
                : "card " + Cards.mask(normalised) + " is already enrolled");
    }

    private Optional<Member> byHash(Tx tx, String hash) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                SELECT_MEMBER + "JOIN cards c ON c.member_id = m.id WHERE c.card_hash = ?")) {
            p.setString(1, hash);
            return single(p);
        }
    }

    private static Optional<Member> single(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Member(rs.getString("id"), Role.fromWireName(rs.getString("role")),
                    rs.getBoolean("accessible"), SqlTime.get(rs, "valid_until"), rs.getBoolean("revoked"),
                    SqlTime.get(rs, "enrolled")));
        }
    }

    /** A fresh random id; 50 bits make a clash unlikely, and a clash is simply drawn again. */
    private String newId(Tx tx) throws SQLException {
        while (true) {
            StringBuilder id = new StringBuilder("m-");
            for (int i = 0; i < ID_CHARS; i++) {
                id.append(BASE32[random.nextInt(BASE32.length)]);
            }
            if (byId(tx, id.toString()).isEmpty()) {
                return id.toString();
            }
        }
    }
}
