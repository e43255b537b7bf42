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
        this.db = Objects.requireNonNull(db, "db");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
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
        Optional<Member> existing = byHash(tx, hash);
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
        Member member = byHash(tx, hasher.hash(normalised)).orElseThrow(() -> new MemberException(
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
        String hash;
        try {
            hash = hasher.hash(card);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return byHash(tx, hash);
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
        Optional<Member> found = db.read(tx -> byHash(tx, hash));
        if (found.isPresent() && revocations.get() == before) {
            if (tapped.size() >= TAPPED_MAX) {
                tapped.clear();
            }
            tapped.put(hash, found.get());
        }
        return found;
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
