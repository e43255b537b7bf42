package kontor.coap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file of DTLS pre-shared keys ({@code coap.psk_file} of the site file): one {@code identity key} pair
 * per line, separated by blanks; {@code #} starts a comment. The key is the text a node is given (as
 * {@code coap-client -k} takes it), at least 8 characters.
 */
public final class PskFile {
    static final int MIN_KEY_LENGTH = 8;

    private PskFile() { }

    /**
     * Reads the keys.
     *
     * @throws IllegalArgumentException naming the file and line of the first problem; never the key itself
     */
    public static Map<String, byte[]> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the PSK file " + file + ": " + e.getMessage(), e);
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = file + ":" + (i + 1) + ": ";
            if (parts.length != 2) {
                throw new IllegalArgumentException(where + "expected 'identity key' (two words)");
            }
            if (parts[1].length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException(where + "the key of '" + parts[0] + "' is shorter than "
                        + MIN_KEY_LENGTH + " characters");
            }
            if (keys.put(parts[0], parts[1].getBytes(StandardCharsets.UTF_8)) != null) {
                throw new IllegalArgumentException(where + "'" + parts[0] + "' has a key already");
            }
        }
        return keys;
    }
}
