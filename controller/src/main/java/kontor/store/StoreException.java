package kontor.store;

/** The database failed or refused (closed, schema too new, SQL error): nothing the caller asked for was done. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
