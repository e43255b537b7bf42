package kontor.store;

import java.sql.SQLException;

/** Work done inside one database transaction. */
@FunctionalInterface
public interface TxWork<T> {
    T run(Tx tx) throws SQLException;
}
