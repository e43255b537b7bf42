package kontor.printing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.util.Map;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.filter.DecodeOptions;
import org.apache.pdfbox.filter.DecodeResult;
import org.apache.pdfbox.filter.Filter;
import org.apache.pdfbox.filter.FilterFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound on what PDFBox may decode while {@link PageCounter} reads a document on this thread.
 *
 * <p>Why: to find the page tree, PDFBox must decode cross-reference and object streams, and it decodes each into
 * memory in full ({@code Filter.decode} into a {@code RandomAccessReadWriteBuffer}), whatever memory setting the
 * document was loaded with. A few megabytes of Flate inflate to gigabytes: one upload could take the gateway's
 * heap, or a minute of its CPU. PDFBox has no limit of its own, so each of its decoders is wrapped, once, in one
 * that counts what it writes against the budget of the counting thread and fails with an {@link IOException}
 * beyond it (the document is then refused as unreadable). Outside a count (no budget set) nothing changes.
 */
final class InflateLimit {
    private static final Logger log = LoggerFactory.getLogger(InflateLimit.class);
    private static final ThreadLocal<long[]> LEFT = new ThreadLocal<>();
    private static final boolean INSTALLED = install();

    private InflateLimit() { }

    /** Runs {@code work} with at most {@code bytes} decoded by PDFBox on this thread. */
    static <T> T within(long bytes, IoWork<T> work) throws IOException {
        if (!INSTALLED) {
            throw new IOException("PDFBox's decoders could not be bounded: PDF documents are refused");
        }
        LEFT.set(new long[] {bytes});
        try {
            return work.run();
        } finally {
            LEFT.remove();
        }
    }

    interface IoWork<T> {
        T run() throws IOException;
    }

    @SuppressWarnings("unchecked")
    private static boolean install() {
        try {
            Field field = FilterFactory.class.getDeclaredField("filters");
            field.setAccessible(true);
            Map<COSName, Filter> filters = (Map<COSName, Filter>) field.get(FilterFactory.INSTANCE);
            synchronized (filters) {
                filters.replaceAll((name, filter) -> filter instanceof Bounded ? filter : new Bounded(filter));
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.error("Cannot bound PDFBox's decoders ({}): the print queue refuses PDF documents", e.toString());
            return false;
        }
    }

    /** A PDFBox decoder whose output counts against the thread's budget. */
    private static final class Bounded extends Filter {
        private final Filter inner;

        Bounded(Filter inner) {
            this.inner = inner;
        }

        @Override
        public DecodeResult decode(InputStream encoded, OutputStream decoded, COSDictionary parameters, int index)
                throws IOException {
            return inner.decode(encoded, counted(decoded), parameters, index);
        }

        @Override
        public DecodeResult decode(InputStream encoded, OutputStream decoded, COSDictionary parameters, int index,
                DecodeOptions options) throws IOException {
            return inner.decode(encoded, counted(decoded), parameters, index, options);
        }

        @Override
        protected void encode(InputStream input, OutputStream encoded, COSDictionary parameters) throws IOException {
            inner.encode(input, encoded, parameters, 0);
        }

        private static OutputStream counted(OutputStream out) {
            long[] left = LEFT.get();
            if (left == null) {
                return out;
            }
            return new FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    take(1);
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    take(len);
                    out.write(b, off, len);
                }

                private void take(long n) throws IOException {
                    left[0] -= n;
                    if (left[0] < 0) {
                        throw new IOException("the document's structure inflates to more than the limit");
                    }
                }
            };
        }
    }
}
