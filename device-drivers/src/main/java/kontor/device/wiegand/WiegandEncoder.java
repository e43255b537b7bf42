package kontor.device.wiegand;

import kontor.device.Cards;

/** Turns a card number into the bits a Wiegand reader would send: what simulators and tests need. */
public final class WiegandEncoder {
    private WiegandEncoder() { }

    /**
     * The frame for {@code cardHex} as a string of {@code 0} and {@code 1}: 26 bits for 6 hex digits,
     * 34 for 8, 58 for 14 (a 7-byte UID).
     *
     * @throws IllegalArgumentException if the card is not 6, 8 or 14 hex digits
     */
    public static String encode(String cardHex) {
        String hex = Cards.normalise(cardHex);
        if (hex.length() != 6 && hex.length() != 8 && hex.length() != 14) {
            throw new IllegalArgumentException(
                    "a Wiegand card must have 6, 8 or 14 hexadecimal digits, not " + hex.length());
        }
        boolean[] data = new boolean[hex.length() * 4];
        for (int i = 0; i < hex.length(); i++) {
            int nibble = Character.digit(hex.charAt(i), 16);
            for (int b = 0; b < 4; b++) {
                data[i * 4 + b] = (nibble & (8 >> b)) != 0;
            }
        }
        StringBuilder frame = new StringBuilder(data.length + 2);
        frame.append(WiegandFormat.leadingParity(data));
        for (boolean bit : data) {
            frame.append(bit ? '1' : '0');
        }
        frame.append(WiegandFormat.trailingParity(data));
        return frame.toString();
    }
}
