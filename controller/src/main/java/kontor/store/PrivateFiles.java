package kontor.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files in the data directory are the gateway user's alone (mode 600, the directory 700): the database holds card
 * hashes, balances and the journal. H2 creates its files with the process's umask (usually 644) and keeps the
 * mode of a file that already exists, so the gateway creates each file itself, empty and private, before H2
 * (or a backup) writes it.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() { }

    /** Creates {@code file} empty with mode 600 unless it exists; an existing one is made 600. */
    public static void create(Path file) throws IOException {
        if (!POSIX) {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            return;
        }
        try {
            Files.createFile(file, attribute(FILE));
        } catch (FileAlreadyExistsException e) {
            restrict(file);
        }
    }

    /** Makes an existing file 600 (a directory 700); nothing when it does not exist or is already so. */
    public static void restrict(Path path) throws IOException {
        if (!POSIX || !Files.exists(path)) {
            return;
        }
        Set<PosixFilePermission> wanted = Files.isDirectory(path) ? DIRECTORY : FILE;
        if (!Files.getPosixFilePermissions(path).equals(wanted)) {
            Files.setPosixFilePermissions(path, wanted);
        }
    }

    /** Creates the directory (and its parents) with mode 700 unless it exists. */
    public static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(dir, attribute(DIRECTORY));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
