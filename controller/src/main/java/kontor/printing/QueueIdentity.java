package kontor.printing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import kontor.site.Site;

/**
 * What the held print queue says it is, the same to IPP clients ({@link IppQueueHandler}) and in its DNS-SD
 * announcement ({@code kontor provision install}): a visitor's device must find the printer it added again.
 */
public final class QueueIdentity {
    /** {@code printer-make-and-model}, and the announcement's {@code ty}. */
    public static final String MAKE_AND_MODEL = "Kontor held print queue";
    /** The document formats the queue takes, as IPP and DNS-SD ({@code pdl}) list them. */
    public static final List<String> FORMATS = List.of(PageCounter.PDF, PageCounter.JPEG);

    private QueueIdentity() {
    }

    /** The queue's {@code printer-uuid} ({@code urn:uuid:…}): stable for a site. */
    public static String printerUuid(String siteId) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes(("kontor-print-queue:" + siteId).getBytes(StandardCharsets.UTF_8));
    }

    /** The queue's {@code printer-name}, and its DNS-SD service name: "SITE NAME print and pay". */
    public static String printerName(Site site) {
        return site.name() + " print and pay";
    }

    /** Whether the site's queue prints colour: a printer that releases it has a colour price of its own. */
    public static boolean colour(Site site) {
        return site.printers().stream().anyMatch(p -> p.releases() && p.priceColour() != null);
    }
}
