package kontor.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kontor.store.PrivateFiles;
import kontor.store.StoreException;

/**
 * The journal's seq high-water mark, kept outside the database ({@code journal.seq} next to it, mode 600, fsynced):
 * when the database is lost (set aside as unreadable, or restored from an older backup) seq must still go on
 * increasing for every subscriber, so the next database starts above every seq ever handed out.
 *
 * <p>The file holds a <em>reservation</em>: no seq above {@code reserved} is taken before the file says so, and it is
 * moved {@link #BLOCK} ahead at a time, so the disk is written once per {@code BLOCK} events, not per commit. It also
 * names the database it belongs to ({@code epoch}, a random id the database keeps too), so that a fresh or another
 * database is recognised at open. Writes are atomic: a new file, fsynced, moved over the old one, the directory
 * fsynced.
 */
final class SeqHighWater {
    /** How far ahead of the newest seq the reservation is moved. */
    static final long BLOCK = 10_000;
    static final String FILE = "journal.seq";
    private static final Pattern CONTENT = Pattern.compile("reserved=(\\d{1,18})\\nepoch=([0-9a-f-]{36})\\n");

    private final Path file;
    private long reserved;
    private String epoch;

    private SeqHighWater(Path file, long reserved, String epoch) {
        this.file = file;
        this.reserved = reserved;
        this.epoch = epoch;
    }

    /** Reads the mark in {@code dir}; none yet (a first start, or an install from before the mark) is 0. */
    static SeqHighWater load(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            Matcher m = CONTENT.matcher(text);
            if (!m.matches()) {
                throw new StoreException("the journal's seq mark " + file + " is not what Kontor writes (" + text.strip()
                        + "); it keeps seq increasing across a database reset. Restore it, or remove it if the"
                        + " database is the only one this site ever had");
            }
            PrivateFiles.restrict(file);
            return new SeqHighWater(file, Long.parseLong(m.group(1)), m.group(2));
        } catch (NoSuchFileException e) {
            return new SeqHighWater(file, 0, null);
        } catch (IOException e) {
            throw new StoreException("cannot read the journal's seq mark " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized long reserved() {
        return reserved;
    }

    synchronized String epoch() {
        return epoch;
    }

    /** Before seqs up to {@code last} are taken: moves the reservation ahead (and writes it) if they are beyond it. */
    synchronized void cover(long last) {
        if (last > reserved) {
            write(last + BLOCK, epoch);
        }
    }

    /** The mark now belongs to the database with {@code newEpoch}, whose newest seq is {@code last}. */
    synchronized void adopt(String newEpoch, long last) {
        if (!Objects.equals(newEpoch, epoch) || last + BLOCK / 2 > reserved) {
            write(Math.max(reserved, last + BLOCK), newEpoch);
        }
    }

    private void write(long newReserved, String newEpoch) {
        Path dir = file.getParent();
        Path next = dir.resolve(FILE + ".new");
        byte[] text = ("reserved=" + newReserved + "\nepoch=" + newEpoch + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Files.deleteIfExists(next);
            PrivateFiles.create(next);
            try (FileChannel ch = FileChannel.open(next, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(text));
                ch.force(true);
            }
            try {
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
            }
            // The rename itself is durable only once the directory is.
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // Some file systems cannot open a directory; the file's own fsync is what they offer.
            }
        } catch (IOException e) {
            throw new StoreException("cannot write the journal's seq mark " + file + ": " + e.getMessage(), e);
        }
        reserved = newReserved;
        epoch = newEpoch;
    }
}
