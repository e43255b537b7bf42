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
 * Hashes are computed one at a time per {@link Surface} (the console's log-in, the print queue's), and
 * new ones ({@link #hash}, an operator setting a password or PIN) one at a time of their own, so that a
 * burst of log-ins cannot take the Pi's memory (19 MiB each, at most three at once) or its cores away
 * from the site, and a flood at one surface never slows another.
 */
public final class PasswordHash {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The slot of new hashes and of checks that come from no network surface (the command line). */
    private static final Semaphore OWN = new Semaphore(1, true);
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /** A hash of nothing, checked when a user name is unknown so that the answer takes as long. */
    private static final String DECOY = hash("not a password".toCharArray());

    private PasswordHash() { }

    /** A new hash of {@code password} with a fresh salt. */
    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES, OWN);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Whether {@code password} matches {@code encoded}; false for anything that is not an Argon2id PHC string. */
    public static boolean verify(char[] password, String encoded) {
        return verify(password, encoded, OWN);
    }

    private static boolean verify(char[] password, String encoded, Semaphore slot) {
        if (encoded == null) {
            verify(password, DECOY, slot);
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
        byte[] actual = derive(password, salt, m, t, p, expected.length, slot);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(char[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length,
            Semaphore slot) {
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
        slot.acquireUninterruptibly();
        try {
            generator.generateBytes(utf8, out);
        } finally {
            slot.release();
            java.util.Arrays.fill(utf8, (byte) 0);
        }
        return out;
    }

    /**
     * The password checks of one network surface (the console's log-in, the print queue's HTTP Basic): one hash at a
     * time on a slot of its own, so that a flood at one surface never slows another. At most {@link #WAITING} checks
     * wait for it or run (more are refused at once: a stranger's flood cannot hold the HTTP server's threads), and
     * one client address has at most {@link #PER_ADDRESS} of them: one client alone cannot take the surface, and a
     * check from elsewhere waits behind at most that many of its hashes.
     */
    public static final class Surface {
        public static final int WAITING = 4;
        public static final int PER_ADDRESS = 2;

        private final Semaphore slot;
        /** Checks waiting or running, by client address; an address is here only while it has one. */
        private final java.util.Map<String, Integer> byAddress = new java.util.HashMap<>();
        private int under;

        public Surface() {
            this(new Semaphore(1, true));
        }

        /** On {@code slot} (a test takes it, as a long flood would). */
        Surface(Semaphore slot) {
            this.slot = slot;
        }

        /**
         * Whether {@code password} matches {@code encoded} ({@code null}: an unknown name, which takes as long), for a
         * client at {@code address}; empty, having checked nothing, when that address or the surface already has as
         * many checks under way as it may: the caller refuses the request ("busy, try again").
         */
        public java.util.Optional<Boolean> verify(String address, char[] password, String encoded) {
            synchronized (this) {
                int mine = byAddress.getOrDefault(address, 0);
                if (mine >= PER_ADDRESS || under >= WAITING) {
                    return java.util.Optional.empty();
                }
                byAddress.put(address, mine + 1);
                under++;
            }
            try {
                return java.util.Optional.of(PasswordHash.verify(password, encoded, slot));
            } finally {
                synchronized (this) {
                    byAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
                    under--;
                }
            }
        }
    }
}
