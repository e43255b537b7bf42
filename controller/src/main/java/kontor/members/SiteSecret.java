package kontor.members;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * The site's 32-byte secret, the key of the card hashes. It lives in a file only its owner may read; losing
 * it makes every enrolled card unknown, so it is created once and then only read. {@link #toString()} never
 * shows it.
 */
public final class SiteSecret {
    public static final int LENGTH = 32;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final byte[] key;

    private SiteSecret(byte[] key) {
        this.key = key;
    }

    /**
     * Reads the secret from {@code file}, creating it (mode 600, from a strong random source) if it does not
     * exist.
     *
     * @throws IllegalStateException when the file can be read by group or others, or is not exactly 32 bytes,
     *     with the sentence an operator needs
     */
    public static SiteSecret loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return load(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the site secret " + file + ": " + e, e);
        }
    }

    /**
     * Reads a key of this form that someone else made and handed out (the fleet key): never created here,
     * since a fresh one would silently make every card it hashed unknown.
     *
     * @param what what the key is, for the message: e.g. "the fleet key"
     * @throws IllegalStateException when it is missing, readable by others or of the wrong size
     */
    public static SiteSecret loadExisting(Path file, String what) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(what + " " + file + " is missing: copy it from the owner's `kontor provision centre` output (mode 600)");
        }
        try {
            return load(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + what + " " + file + ": " + e, e);
        }
    }

    /** A copy of the key. */
    public byte[] bytes() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "SiteSecret[hidden]";
    }

    private static SiteSecret load(Path file) throws IOException {
        if (posix()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            permissions.retainAll(OTHERS);
            if (!permissions.isEmpty()) {
                throw new IllegalStateException("the site secret " + file + " must be readable by its owner only, but is "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + ": run chmod 600 " + file);
            }
        }
        long size = Files.size(file);
        if (size != LENGTH) {
            throw new IllegalStateException("the site secret " + file + " must be " + LENGTH + " bytes, but is " + size
                    + ": restore it from a backup (a new secret makes every enrolled card unknown)");
        }
        return new SiteSecret(Files.readAllBytes(file));
    }

    /** Written to a private temporary file first and moved into place, so a crash never leaves half a secret. */
    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] key = new byte[LENGTH];
        new SecureRandom().nextBytes(key);
        Path temporary = dir.resolve(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (SeekableByteChannel channel = posix()
                ? Files.newByteChannel(temporary, options, OWNER_ONLY)
                : Files.newByteChannel(temporary, options)) {
            channel.write(ByteBuffer.wrap(key));
            if (channel instanceof java.nio.channels.FileChannel fc) {
                fc.force(true);
            }
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temporary); // someone else created it meanwhile: theirs is the one
        } catch (NoSuchFileException e) {
            throw new IOException("the new site secret vanished before it was moved into place", e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
