package kontor.site;

import kontor.device.wiring.CopierWiring;

/**
 * A copier enabled over GPIO after a tap at {@code reader}, charged per page in minor units;
 * {@code priceColour} is null when the copier has no colour pulse line.
 */
public record CopierSpec(String id, CopierWiring wiring, String reader, long priceMono, Long priceColour)
        implements DeviceSpec {
    public static final String KIND = "copier";

    @Override
    public String kind() {
        return KIND;
    }
}
