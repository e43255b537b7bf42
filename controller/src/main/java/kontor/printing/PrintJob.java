package kontor.printing;

import java.time.Instant;

/**
 * One job of the held print queue as stored ({@code print_jobs}). {@code name} is for its owner's print
 * dialog only: it never goes into an event, a state or a log.
 */
public record PrintJob(int id, String member, String status, String name, String format, boolean colour, int pages,
        long size, Instant created, String printer, Integer printerJob, Long amount, Integer impressions, Instant ended) {

    public static final String HELD = "held";
    public static final String RELEASING = "releasing";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String EXPIRED = "expired";
    public static final String CANCELLED = "cancelled";

    public boolean held() {
        return status.equals(HELD);
    }

    public boolean releasing() {
        return status.equals(RELEASING);
    }

    /** Whether nothing will change any more. */
    public boolean done() {
        return !held() && !releasing();
    }
}
