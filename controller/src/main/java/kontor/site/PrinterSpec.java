package kontor.site;

import java.net.URI;
import java.time.Duration;

/** A network printer watched over IPP every {@code poll}; with no {@code ipp} URI (null) it is simulated. */
public record PrinterSpec(String id, URI ipp, Duration poll) implements DeviceSpec {
    public static final String KIND = "printer";

    @Override
    public String kind() {
        return KIND;
    }

    public boolean simulated() {
        return ipp == null;
    }
}
