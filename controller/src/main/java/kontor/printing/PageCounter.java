package kontor.printing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * Counts the pages of a spooled print document from its bytes, never from what the client says: a
 * visitor pays for what this returns. PDF is read with Apache PDFBox; a JPEG is one page.
 *
 * <p>Built for hostile files. The PDF is read from the spool file (not into memory) and any stream
 * PDFBox must cache goes to a temporary file, so a decompression bomb cannot fill the heap; pages are
 * counted by walking the page tree (a forged {@code /Count} in the root is not believed), and the walk
 * stops one page past {@code maxPages}. Runs on the HTTP thread that received the job, never on the
 * site thread.
 */
public final class PageCounter {

    /** What a document is to the queue: pages to print, or why it is refused (an IPP status follows from it). */
    public sealed interface Result {
        /** A printable document of {@code pages} pages (1 to the limit). */
        record Pages(int pages) implements Result { }

        /** Not printable: {@code reason} is {@code no_pages}, {@code too_many_pages}, {@code encrypted}, {@code unreadable}. */
        record Refused(String reason, String detail) implements Result { }
    }

    public static final String PDF = "application/pdf";
    public static final String JPEG = "image/jpeg";

    private final int maxPages;

    /** @param maxPages the most pages one job may have; more is refused, not truncated */
    public PageCounter(int maxPages) {
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages must be at least 1, not " + maxPages);
        }
        this.maxPages = maxPages;
    }

    /** Counts the pages of {@code file}, which the client said is of {@code format} (checked against its bytes). */
    public Result count(Path file, String format) {
        Objects.requireNonNull(file, "file");
        return switch (Objects.requireNonNull(format, "format")) {
            case PDF -> pdf(file);
            case JPEG -> jpeg(file);
            default -> new Result.Refused("unreadable", "not a format the queue prints: " + format);
        };
    }

    private Result pdf(Path file) {
        if (!startsWith(file, new byte[] {'%', 'P', 'D', 'F', '-'}, 1024)) {
            return new Result.Refused("unreadable", "not a PDF file");
        }
        try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(file.toFile()), "", null, null,
                IOUtils.createTempFileOnlyStreamCache())) {
            int pages = 0;
            for (PDPage ignored : doc.getPages()) {
                if (++pages > maxPages) {
                    return new Result.Refused("too_many_pages", "more than " + maxPages + " pages");
                }
            }
            return pages == 0 ? new Result.Refused("no_pages", "the PDF has no pages") : new Result.Pages(pages);
        } catch (InvalidPasswordException e) {
            return new Result.Refused("encrypted", "the PDF needs a password");
        } catch (IOException | RuntimeException e) {
            // PDFBox throws unchecked exceptions on some malformed files (a page tree that loops, a bad number).
            return new Result.Refused("unreadable", "the PDF cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** A JPEG is one picture, so one page; its start-of-image marker is checked, its pixels are the printer's business. */
    private Result jpeg(Path file) {
        return startsWith(file, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, 0)
                ? new Result.Pages(1)
                : new Result.Refused("unreadable", "not a JPEG file");
    }

    /** Whether {@code magic} occurs in the first {@code slack} + its length bytes (PDF allows junk before its header). */
    private static boolean startsWith(Path file, byte[] magic, int slack) {
        byte[] head = new byte[slack + magic.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return false;
        }
        for (int at = 0; at + magic.length <= n && at <= slack; at++) {
            boolean match = true;
            for (int i = 0; i < magic.length && match; i++) {
                match = head[at + i] == magic[i];
            }
            if (match) {
                return true;
            }
        }
        return false;
    }
}
