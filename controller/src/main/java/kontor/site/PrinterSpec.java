package kontor.site;

import java.net.URI;
import java.time.Duration;

/**
 * A network printer watched over IPP every {@code poll}; with no {@code ipp} URI (null) it is simulated.
 * With a release {@code reader} (null: none) it prints the held print queue: a member's tap there sends
 * their held jobs to it, charged per page at {@code priceMono} (minor units), or {@code priceColour} for a
 * job asked in colour (null: colour costs the mono price).
 */
public record PrinterSpec(String id, URI ipp, Duration poll, String reader, Long priceMono, Long priceColour)
        implements DeviceSpec {
    public static final String KIND = "printer";

    public PrinterSpec(String id, URI ipp, Duration poll) {
        this(id, ipp, poll, null, null, null);
    }

    @Override
    public String kind() {
        return KIND;
    }

    public boolean simulated() {
        return ipp == null;
    }

    /** Whether the held print queue releases jobs here. */
    public boolean releases() {
        return reader != null;
    }

    /** The price of one page of a job, in colour or not. */
    public long pagePrice(boolean colour) {
        return colour && priceColour != null ? priceColour : priceMono;
    }
}
