package kontor.provisioning;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes in Mosquitto 2's own format, as {@code mosquitto_passwd} writes them:
 * {@code $7$ITERATIONS$SALT$HASH}, PBKDF2-HMAC-SHA512 over the UTF-8 password with a 12-byte salt and a
 * 64-byte result, both in standard Base64. We write them ourselves so that provisioning needs no Mosquitto
 * on the machine where it runs.
 */
final class MosquittoPasswords {
    /** Mosquitto's own default; the passwords are long and random, so the hash's cost adds little. */
    static final int ITERATIONS = 101;
    private static final int SALT_BYTES = 12;
    private static final int HASH_BITS = 512;

    private final SecureRandom random;

    MosquittoPasswords(SecureRandom random) {
        this.random = random;
    }

    /** One line of the password file: {@code user:$7$…}. */
    String line(String user, char[] password) {
        if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("\"" + user + "\" cannot be a Mosquitto user name");
        }
        return user + ":" + hash(password);
    }

    String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return hash(password, salt, ITERATIONS);
    }

    static String hash(char[] password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
            spec.clearPassword();
            Base64.Encoder b64 = Base64.getEncoder();
            return "$7$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is missing from this Java", e);
        }
    }
}
