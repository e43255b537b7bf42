package kontor.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Hostile PDF files for the print queue's page counter, written byte by byte (no PDF library would write them):
 * page trees that are very deep, very wide or loop, and an object stream that inflates to gigabytes.
 */
public final class PdfBombs {
    private PdfBombs() { }

    /** A one-page document whose page tree is {@code depth} nested /Pages nodes deep. */
    public static byte[] deepPageTree(int depth) {
        Pdf pdf = new Pdf();
        pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
        for (int i = 0; i < depth; i++) {
            int self = 2 + i;
            pdf.add("<< /Type /Pages /Kids [" + (self + 1) + " 0 R] /Count 1" + (i > 0 ? " /Parent " + (self - 1) + " 0 R" : "") + " >>");
        }
        pdf.add("<< /Type /Page /Parent " + (depth + 1) + " 0 R /MediaBox [0 0 595 842] >>");
        return pdf.bytes();
    }

    /** One /Pages node whose /Kids name the same page {@code kids} times. */
    public static byte[] wideKids(int kids) {
        Pdf pdf = new Pdf();
        pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
        StringBuilder refs = new StringBuilder(kids * 6);
        for (int i = 0; i < kids; i++) {
            refs.append("3 0 R ");
        }
        pdf.add("<< /Type /Pages /Kids [" + refs + "] /Count " + kids + " >>");
        pdf.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
        return pdf.bytes();
    }

    /** Two /Pages nodes that are each other's only kid: no page at the end of any path. */
    public static byte[] loopingPageTree() {
        Pdf pdf = new Pdf();
        pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
        pdf.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        pdf.add("<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>");
        return pdf.bytes();
    }

    /**
     * A one-page document whose catalog, page tree and page are in a Flate-compressed object stream behind
     * {@code padding} bytes of spaces (at most 2 GB - 1: an object stream's /First is an int): a few megabytes
     * on the wire that a reader must inflate to gigabytes to find the catalog.
     */
    public static byte[] inflatingObjectStream(long padding) {
        String[] objects = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"};
        StringBuilder header = new StringBuilder();
        int offset = 0;
        for (int i = 0; i < objects.length; i++) {
            header.append(i + 1).append(' ').append(offset).append(' ');
            offset += objects[i].length() + 1;
        }
        long first = header.length() + padding;
        if (first > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("padding too large for /First");
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] out = new byte[64 * 1024];
        java.util.function.Consumer<byte[]> feed = in -> {
            deflater.setInput(in);
            while (!deflater.needsInput()) {
                int n = deflater.deflate(out);
                compressed.write(out, 0, n);
            }
        };
        feed.accept(header.toString().getBytes(StandardCharsets.US_ASCII));
        byte[] spaces = new byte[1 << 20];
        java.util.Arrays.fill(spaces, (byte) ' ');
        for (long left = padding; left > 0; left -= spaces.length) {
            feed.accept(left >= spaces.length ? spaces : java.util.Arrays.copyOf(spaces, (int) left));
        }
        feed.accept((String.join(" ", objects) + " ").getBytes(StandardCharsets.US_ASCII));
        deflater.finish();
        while (!deflater.finished()) {
            int n = deflater.deflate(out);
            compressed.write(out, 0, n);
        }
        deflater.end();

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        write(file, "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        long objStm = file.size();
        write(file, "4 0 obj\n<< /Type /ObjStm /N 3 /First " + first + " /Filter /FlateDecode /Length " + compressed.size()
                + " >>\nstream\n");
        file.writeBytes(compressed.toByteArray());
        write(file, "\nendstream\nendobj\n");
        long xref = file.size();
        // The cross-reference stream (unfiltered): objects 1 to 3 are in object stream 4, entries 1 + 4 + 2 bytes.
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        entry(entries, 0, 0, 65535);
        for (int i = 0; i < 3; i++) {
            entry(entries, 2, 4, i);
        }
        entry(entries, 1, objStm, 0);
        entry(entries, 1, xref, 0);
        write(file, "5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length " + entries.size() + " >>\nstream\n");
        file.writeBytes(entries.toByteArray());
        write(file, "\nendstream\nendobj\nstartxref\n" + xref + "\n%%EOF\n");
        return file.toByteArray();
    }

    private static void entry(ByteArrayOutputStream out, int type, long field2, int field3) {
        out.write(type);
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (field2 >>> shift) & 0xFF);
        }
        out.write((field3 >>> 8) & 0xFF);
        out.write(field3 & 0xFF);
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A classic PDF: numbered objects, a cross-reference table, a trailer naming object 1 as the catalog. */
    private static final class Pdf {
        private final List<String> objects = new ArrayList<>();

        void add(String object) {
            objects.add(object);
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, "%PDF-1.7\n");
            long[] offsets = new long[objects.size()];
            for (int i = 0; i < objects.size(); i++) {
                offsets[i] = out.size();
                write(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
            }
            long xref = out.size();
            StringBuilder table = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f\r\n");
            for (long offset : offsets) {
                table.append(String.format("%010d 00000 n\r\n", offset));
            }
            table.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                    .append(xref).append("\n%%EOF\n");
            write(out, table.toString());
            return out.toByteArray();
        }
    }
}
