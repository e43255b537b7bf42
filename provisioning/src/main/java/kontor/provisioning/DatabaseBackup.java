package kontor.provisioning;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import kontor.cli.RunCommand;
import kontor.cli.UserError;
import kontor.store.Database;

/**
 * Backups of a site's database, and their restore.
 *
 * <p>While the gateway runs it holds H2's file lock, and a second process must not open the file. So a backup
 * first asks the running gateway over its control socket ({@link RunCommand.ControlSocket}) to run H2's
 * transactionally consistent {@code BACKUP TO}; only when no gateway answers does it open the database itself.
 * Either way the running gateway's file is never touched by another process. (The alternatives were worse:
 * H2's AUTO_SERVER opens a TCP port on the gateway, and copying the file while it is written gives a torn copy.)
 */
final class DatabaseBackup {
    static final String DATABASE_ENTRY = SiteData.DATABASE_FILE;

    private DatabaseBackup() { }

    /** How the backup was made. */
    enum Via { RUNNING_GATEWAY, STOPPED_DATABASE }

    static Via backup(Path data, Path out) throws IOException {
        if (Files.exists(out)) {
            throw new UserError(out + " already exists; choose another --out");
        }
        Path target = out.toAbsolutePath();
        if (!Files.isDirectory(target.getParent())) {
            throw new UserError("the directory " + target.getParent() + " does not exist");
        }
        String reply = ask(data, RunCommand.ControlSocket.BACKUP);
        if (reply != null) {
            if (!reply.startsWith("ok ")) {
                throw new IOException("the gateway could not make the backup: " + reply.replaceFirst("^error ", ""));
            }
            Path made = data.resolve(reply.substring(3).strip());
            try {
                Files.copy(made, target.resolveSibling("." + target.getFileName() + ".new"), StandardCopyOption.REPLACE_EXISTING);
                privateFile(target.resolveSibling("." + target.getFileName() + ".new"));
                Files.move(target.resolveSibling("." + target.getFileName() + ".new"), target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(made);
            }
            return Via.RUNNING_GATEWAY;
        }
        if (!Files.exists(data.resolve(DATABASE_ENTRY))) {
            throw new UserError("there is no database in " + data + " (" + DATABASE_ENTRY + ")");
        }
        try (Database db = SiteData.open(data)) {
            db.read(tx -> {
                try (Statement s = tx.connection().createStatement()) {
                    s.execute("BACKUP TO '" + target.toString().replace("'", "''") + "'");
                }
                return null;
            });
        }
        privateFile(target);
        return Via.STOPPED_DATABASE;
    }

    /**
     * Replaces the database in {@code data} with the one in {@code backup}; the previous one is moved to
     * {@code data/before-restore-<time>/}. Refused while a gateway runs on {@code data}.
     *
     * @return where the previous database was put, or null when there was none
     */
    static Path restore(Path data, Path backup) throws IOException {
        if (!Files.isRegularFile(backup)) {
            throw new UserError("the backup " + backup + " does not exist");
        }
        if (!holdsDatabase(backup)) {
            throw new UserError(backup + " is not a Kontor backup (it holds no " + DATABASE_ENTRY + ")");
        }
        if (gatewayRunning(data)) {
            throw new UserError("the gateway is running on " + data + "; stop it first (systemctl stop kontor)");
        }
        Path current = data.resolve(DATABASE_ENTRY);
        Path aside = null;
        if (Files.exists(current)) {
            // Opening it proves nobody holds it; closing it leaves it complete.
            SiteData.open(data).close();
            aside = data.resolve("before-restore-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            Files.createDirectories(aside);
            Files.move(current, aside.resolve(DATABASE_ENTRY));
            Files.deleteIfExists(data.resolve("kontor.trace.db"));
        } else {
            Files.createDirectories(data);
        }
        try {
            org.h2.tools.Restore.execute(backup.toString(), data.toString(), "kontor");
            privateFile(current);
            // Run as root, the restored file would be root's and the gateway (user kontor) could not open it.
            Files.setOwner(current, Files.getOwner(data));
            Database.open(data).close(); // readable, and its schema brought up to this version
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(current);
            if (aside != null) {
                Files.move(aside.resolve(DATABASE_ENTRY), current);
            }
            throw new UserError("the backup " + backup + " cannot be restored (" + e.getMessage() + "); the database was left as it was", e);
        }
        return aside;
    }

    static boolean gatewayRunning(Path data) {
        if (ask(data, "ping") != null) {
            return true;
        }
        if (!Files.exists(data.resolve(DATABASE_ENTRY))) {
            return false;
        }
        try {
            Database.open(data).close();
            return false;
        } catch (RuntimeException e) {
            return SiteData.inUse(e);
        }
    }

    /** Sends one request to a running gateway; null when none answers. */
    static String ask(Path data, String request) {
        Path socket = data.resolve(RunCommand.ControlSocket.NAME);
        if (!Files.exists(socket)) {
            return null;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            PrintWriter out = new PrintWriter(Channels.newOutputStream(channel), true, StandardCharsets.UTF_8);
            out.println(request);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            String reply = in.readLine();
            return reply == null ? "error the gateway closed the connection" : reply;
        } catch (IOException e) {
            return null; // a socket left behind by a gateway that is gone
        }
    }

    private static boolean holdsDatabase(Path zip) {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(DATABASE_ENTRY)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void privateFile(Path file) throws IOException {
        if (OutputFiles.posix()) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(OutputFiles.SECRET));
        }
    }
}
