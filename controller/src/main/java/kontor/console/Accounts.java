package kontor.console;

import kontor.members.PasswordHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The console's accounts: one file in the site's data directory ({@value #FILE_NAME}, mode 600), one line
 * per account, {@code name role argon2id-hash}. {@code kontor provision console-user} and an admin in the
 * console both write it; the gateway reads it again when it changed, so an account added on the command
 * line works without a restart. Written whole to a temporary file and moved into place: never half a file.
 */
public final class Accounts {
    public static final String FILE_NAME = "console-users";
    /** Lower-case letters, digits, dot, dash and underscore; they appear in the journal as {@code by}. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{1,31}");
    /** Shortest password an account may be given (the loopback demo's are shorter and set in code). */
    public static final int MIN_PASSWORD = 10;

    /** One account. */
    public record Account(String name, Role role, String hash) { }

    private final Path file;
    private Map<String, Account> accounts = new LinkedHashMap<>();
    private long readModified = -1;

    public Accounts(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** Checks a new account's name: a sentence when it is not acceptable, else null. */
    public static String nameProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "a user name is 2 to 32 lower-case letters, digits, '.', '-' or '_', starting with a letter";
        }
        return null;
    }

    /** Checks a new password: a sentence when it is too weak, else null. */
    public static String passwordProblem(char[] password) {
        if (password == null || password.length < MIN_PASSWORD) {
            return "a password has at least " + MIN_PASSWORD + " characters";
        }
        return null;
    }

    public synchronized Optional<Account> find(String name) {
        reload();
        return Optional.ofNullable(accounts.get(name));
    }

    public synchronized List<Account> all() {
        reload();
        return List.copyOf(accounts.values());
    }

    /** Adds or replaces an account with a new hash of {@code password} (checked by the caller). */
    public void put(String name, Role role, char[] password) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String hash = PasswordHash.hash(password);
        synchronized (this) {
            reload();
            accounts.put(name, new Account(name, role, hash));
            write();
        }
    }

    /** Removes an account; false when there was none. */
    public synchronized boolean remove(String name) {
        reload();
        if (accounts.remove(name) == null) {
            return false;
        }
        write();
        return true;
    }

    /** Whether any admin exists (the console refuses to remove the last one). */
    public synchronized long count(Role role) {
        reload();
        return accounts.values().stream().filter(a -> a.role() == role).count();
    }

    private void reload() {
        try {
            if (!Files.exists(file)) {
                accounts = new LinkedHashMap<>();
                readModified = -1;
                return;
            }
            long modified = Files.getLastModifiedTime(file).toMillis();
            if (modified == readModified) {
                return;
            }
            Map<String, Account> read = new LinkedHashMap<>();
            int lineNo = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNo++;
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\\s+");
                if (f.length != 3 || nameProblem(f[0]) != null) {
                    throw new IllegalStateException(file + ":" + lineNo + ": expected 'name role hash'");
                }
                read.put(f[0], new Account(f[0], Role.of(f[1]), f[2]));
            }
            accounts = read;
            readModified = modified;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    private void write() {
        List<String> lines = new ArrayList<>();
        lines.add("# Kontor console accounts: name role argon2id-hash. Written by 'kontor provision console-user' and the console.");
        accounts.values().forEach(a -> lines.add(a.name() + " " + a.role().wireName() + " " + a.hash()));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            readModified = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
