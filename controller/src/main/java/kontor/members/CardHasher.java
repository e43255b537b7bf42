package kontor.members;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import kontor.device.Cards;

/**
 * The only form in which a card is stored: hex HMAC-SHA256, keyed with the site secret, of the card's
 * normalised identifier ({@link Cards#normalise}), so that separators and case do not matter and a stolen
 * database reveals no card.
 */
public final class CardHasher {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    public CardHasher(SiteSecret secret) {
        this.key = new SecretKeySpec(Objects.requireNonNull(secret, "secret").bytes(), ALGORITHM);
    }

    /**
     * @throws IllegalArgumentException when the card is not 6, 8 or 14 hex digits (separators aside)
     */
    public String hash(String rawCard) {
        String card = Cards.normalise(rawCard);
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // a Mac is not thread-safe and is cheap to make
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(card.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
