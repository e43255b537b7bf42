package kontor.money;

/**
 * A charge would take the balance below the site's credit limit. Thrown before anything is written, and
 * unchecked so that it rolls back the transaction the charge was part of (the thing it would have paid for).
 */
public final class InsufficientFundsException extends RuntimeException {
    private final long balance;
    private final long amount;

    InsufficientFundsException(long balance, long amount) {
        super("the balance is " + balance + ", too low for " + amount, null, false, false);
        this.balance = balance;
        this.amount = amount;
    }

    public long balance() {
        return balance;
    }

    public long amount() {
        return amount;
    }
}
