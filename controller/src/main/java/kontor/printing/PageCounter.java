package kontor.printing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * Counts the pages of a spooled print document from its bytes, never from what the client says: a
 * visitor pays for what this returns. PDF is read with Apache PDFBox; a JPEG is one page.
 *
 * <p>Built for hostile files. The PDF is read from the spool file (not into memory), page contents are never
 * decoded, and what PDFBox must decode to find the page tree (cross-reference and object streams) is bounded by
 * {@link #MAX_INFLATED} ({@link InflateLimit}) and one PDF is read at a time, so a decompression bomb fills neither
 * the disk nor, by itself, the heap;
 * pages are counted by walking the page tree ourselves (a forged {@code /Count} is not believed, a tree deeper than
 * {@link #MAX_TREE_DEPTH} or one that loops is refused), and the walk stops one page past {@code maxPages}.
 * Runs on the HTTP thread that received the job, never on the site thread.
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

    /** The deepest page tree counted; real documents have a handful of levels (a balanced tree of 10^6 pages: 7). */
    public static final int MAX_TREE_DEPTH = 64;

    /**
     * The most bytes PDFBox may decode to find the page tree (cross-reference and object streams: page contents are
     * never decoded). Ordinary documents need well under a megabyte; a bomb that inflates further is refused.
     */
    public static final long MAX_INFLATED = 8L * 1024 * 1024;

    /**
     * One PDF is read at a time, gateway-wide: the objects PDFBox builds from what it decodes take many times its
     * bytes (an empty dictionary of 4 bytes becomes some 100), so several hostile documents read at once could
     * together fill the heap the doors run in. Others wait their turn; a count is quick for a real document.
     */
    private static final java.util.concurrent.Semaphore ONE_AT_A_TIME = new java.util.concurrent.Semaphore(1, true);

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
        ONE_AT_A_TIME.acquireUninterruptibly();
        try {
            return InflateLimit.within(MAX_INFLATED, () -> {
                try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(file.toFile()), "", null, null,
                        IOUtils.createTempFileOnlyStreamCache())) {
                    return walk(doc.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.PAGES));
                }
            });
        } catch (InvalidPasswordException e) {
            return new Result.Refused("encrypted", "the PDF needs a password");
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // PDFBox throws unchecked exceptions on some malformed files (a bad number, a broken object), and
            // resolving a chain of objects that refer to each other may recurse deeply.
            return new Result.Refused("unreadable", "the PDF cannot be read: " + e.getClass().getSimpleName());
        } finally {
            ONE_AT_A_TIME.release();
        }
    }

    /**
     * Counts the leaves of the page tree, without recursion: a page tree deeper than {@link #MAX_TREE_DEPTH}, or one
     * that comes back to a node it has been through, is refused (PDFBox's own iterator recurses per level, so a tree
     * a hundred thousand levels deep would overflow the stack), and the count stops one page past the limit.
     */
    private Result walk(COSDictionary root) {
        if (root == null) {
            return new Result.Refused("no_pages", "the PDF has no page tree");
        }
        java.util.Set<COSDictionary> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.Deque<COSDictionary> nodes = new java.util.ArrayDeque<>();
        java.util.Deque<Integer> depths = new java.util.ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        int pages = 0;
        while (!nodes.isEmpty()) {
            COSDictionary node = nodes.pop();
            int depth = depths.pop();
            if (!isTreeNode(node)) {
                if (++pages > maxPages) {
                    return new Result.Refused("too_many_pages", "more than " + maxPages + " pages");
                }
                continue;
            }
            if (depth > MAX_TREE_DEPTH) {
                return new Result.Refused("unreadable", "the page tree is more than " + MAX_TREE_DEPTH + " levels deep");
            }
            if (!seen.add(node)) {
                return new Result.Refused("unreadable", "the page tree loops");
            }
            COSArray kids = node.getCOSArray(COSName.KIDS);
            for (int i = kids == null ? -1 : kids.size() - 1; i >= 0; i--) {
                if (kids.getObject(i) instanceof COSDictionary kid) {
                    if (isTreeNode(kid)) {
                        nodes.push(kid);
                        depths.push(depth + 1);
                    } else if (++pages > maxPages) {
                        return new Result.Refused("too_many_pages", "more than " + maxPages + " pages");
                    }
                }
            }
        }
        return pages == 0 ? new Result.Refused("no_pages", "the PDF has no pages") : new Result.Pages(pages);
    }

    /** As PDFBox decides it: a node of the page tree (not a page) is typed /Pages or has /Kids. */
    private static boolean isTreeNode(COSDictionary node) {
        return COSName.PAGES.equals(node.getCOSName(COSName.TYPE)) || node.containsKey(COSName.KIDS);
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
