package kontor.members;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Console passwords and print PINs as Argon2id hashes (BouncyCastle), written in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash} so that any Argon2 tool can check them.
 *
 * <p>The cost is OWASP's first Argon2id choice (19 MiB, two passes, one lane): about 0.1 s on a Pi 4.
 * One hash is computed at a time, so that a burst of log-ins cannot take the Pi's memory (19 MiB
 * each; the console's whole footprint budget is 30 MB) or its cores away from the site: a second
 * log-in waits the tenth of a second.
 */
public final class PasswordHash {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Semaphore AT_ONCE = new Semaphore(1, true);
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /** A hash of nothing, checked when a user name is unknown so that the answer takes as long. */
    private static final String DECOY = hash("not a password".toCharArray());

    private PasswordHash() { }

    /** A new hash of {@code password} with a fresh salt. */
    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Whether {@code password} matches {@code encoded}; false for anything that is not an Argon2id PHC string. */
    public static boolean verify(char[] password, String encoded) {
        if (encoded == null) {
            verify(password, DECOY);
            return false;
        }
        String[] parts = encoded.split("\\$");
        // "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        int m;
        int t;
        int p;
        try {
            String[] cost = parts[3].split(",");
            m = Integer.parseInt(cost[0].substring(2));
            t = Integer.parseInt(cost[1].substring(2));
            p = Integer.parseInt(cost[2].substring(2));
        } catch (RuntimeException e) {
            return false;
        }
        if (m < 8 || m > 256 * 1024 || t < 1 || t > 10 || p < 1 || p > 4) {
            return false; // not a cost we would ever have written: refuse rather than spend the Pi on it
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = B64D.decode(parts[4]);
            expected = B64D.decode(parts[5]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = derive(password, salt, m, t, p, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(char[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        byte[] utf8 = new String(password).getBytes(StandardCharsets.UTF_8);
        AT_ONCE.acquireUninterruptibly();
        try {
            generator.generateBytes(utf8, out);
        } finally {
            AT_ONCE.release();
            java.util.Arrays.fill(utf8, (byte) 0);
        }
        return out;
    }
}
