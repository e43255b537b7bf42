package kontor.journal;

import java.util.List;

/**
 * {@code events.replay}: a page of the journal, for the one who asked. The events go back in the command's reply
 * (to its response topic), never on the live events topic: there, old events among new ones would break the
 * order every subscriber relies on, and everyone would get what one consumer asked for. A page holds at most
 * {@link #MAX_EVENTS}; a consumer that wants more asks again from {@link Page#nextFromSeq()}.
 */
public final class EventReplay {
    /** The most events one request may get. */
    public static final int MAX_EVENTS = 1_000;

    private final Journal journal;

    public EventReplay(Journal journal) {
        this.journal = journal;
    }

    /**
     * The events still in the journal from {@code fromSeq} to {@code toSeq} (inclusive, in order), at most
     * {@code limit} of them. Events already removed by retention are simply not there.
     *
     * @param events      each event's JSON exactly as it went out on the events topic
     * @param nextFromSeq where the next page starts when this one is full and the range goes on; null when this
     *                    page holds every event of the range there is now
     * @param lastSeq     the journal's last seq at the time of reading
     */
    public record Page(List<byte[]> events, Long nextFromSeq, long lastSeq) { }

    public Page page(long fromSeq, long toSeq, int limit) {
        if (fromSeq < 1 || toSeq < fromSeq || limit < 1 || limit > MAX_EVENTS) {
            throw new IllegalArgumentException("need 1 <= fromSeq <= toSeq and 1 <= limit <= " + MAX_EVENTS);
        }
        long last = journal.lastSeq();
        if (fromSeq > last) {
            return new Page(List.of(), null, last);
        }
        List<Journal.Publishable> read = journal.readPublishable(fromSeq, limit).stream()
                .filter(e -> e.seq() <= toSeq)
                .toList();
        Long next = null;
        if (read.size() == limit) {
            long after = read.getLast().seq();
            if (after < toSeq && after < last) {
                next = after + 1; // no overflow: after < toSeq <= Long.MAX_VALUE
            }
        }
        return new Page(read.stream().map(Journal.Publishable::json).toList(), next, last);
    }
}
