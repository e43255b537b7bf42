package kontor.provisioning;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes generated files whole or not at all (a temporary file moved into place), secrets with mode 600 from the
 * first byte on, so that no other user ever sees a half-written or briefly readable secret.
 */
final class OutputFiles {
    static final String SECRET = "rw-------";
    static final String PUBLIC = "rw-r--r--";
    static final String PRIVATE_DIR = "rwx------";
    static final String PUBLIC_DIR = "rwxr-xr-x";

    private OutputFiles() { }

    static void writeSecret(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8), SECRET);
    }

    static void writePublic(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8), PUBLIC);
    }

    static void write(Path file, byte[] content, String mode) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = dir.resolve("." + file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel channel = posix()
                ? FileChannel.open(temporary, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)))
                : FileChannel.open(temporary, options)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        if (posix()) {
            // The umask may have narrowed the mode at creation; a public file must still be readable.
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(mode));
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void createDirectory(Path dir, String mode) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        } else {
            Files.createDirectories(dir);
        }
    }

    static Set<PosixFilePermission> mode(Path file) throws IOException {
        return Files.getPosixFilePermissions(file);
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
