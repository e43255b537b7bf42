package kontor.provisioning;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import kontor.store.Database;
import kontor.store.SqlTime;
import kontor.store.Tx;

/**
 * Opening balances of imported members, kept until the ledger takes them over: one row per member with a
 * positive balance, in whole minor units of the site's currency. The table is created here (idempotently,
 * like a migration) rather than by a numbered migration, so that the import works on any schema version;
 * the money module maps these rows into its ledger as opening credits.
 */
final class OpeningBalances {
    static final String CREATE = "CREATE TABLE IF NOT EXISTS opening_balances ("
            + "member_id VARCHAR(32) PRIMARY KEY REFERENCES members (id), "
            + "amount BIGINT NOT NULL CHECK (amount > 0), "
            + "imported TIMESTAMP(3) WITH TIME ZONE NOT NULL)";

    private OpeningBalances() { }

    static void ensureTable(Database db) {
        db.inTransaction(tx -> {
            try (Statement s = tx.connection().createStatement()) {
                s.execute(CREATE);
            }
            return null;
        });
    }

    static void record(Tx tx, String memberId, long amount, Instant when) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "INSERT INTO opening_balances (member_id, amount, imported) VALUES (?, ?, ?)")) {
            p.setString(1, memberId);
            p.setLong(2, amount);
            SqlTime.set(p, 3, SqlTime.stored(when));
            p.executeUpdate();
        }
    }
}
