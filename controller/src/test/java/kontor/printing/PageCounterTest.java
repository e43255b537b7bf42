package kontor.printing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kontor.testing.PdfBombs;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCounterTest {
    @TempDir
    Path dir;

    private final PageCounter counter = new PageCounter(1000);

    private Path pdf(int pages) throws IOException {
        Path file = dir.resolve(pages + ".pdf");
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < pages; i++) {
                doc.addPage(new PDPage());
            }
            doc.save(file.toFile());
        }
        return file;
    }

    @Test
    void counts_the_pages_of_a_pdf() throws IOException {
        assertThat(counter.count(pdf(3), PageCounter.PDF)).isEqualTo(new PageCounter.Result.Pages(3));
    }

    @Test
    void refuses_a_pdf_without_pages() throws IOException {
        assertThat(counter.count(pdf(0), PageCounter.PDF)).isInstanceOfSatisfying(PageCounter.Result.Refused.class,
                r -> assertThat(r.reason()).isEqualTo("no_pages"));
    }

    @Test
    void refuses_a_pdf_of_two_thousand_pages() throws IOException {
        assertThat(counter.count(pdf(2000), PageCounter.PDF)).isInstanceOfSatisfying(PageCounter.Result.Refused.class,
                r -> assertThat(r.reason()).isEqualTo("too_many_pages"));
    }

    @Test
    void does_not_believe_a_forged_page_count() throws IOException {
        // One real page; the page tree's /Count claims 500.
        String text = new String(Files.readAllBytes(pdf(1)), StandardCharsets.ISO_8859_1).replace("/Count 1", "/Count 500");
        Path forged = dir.resolve("forged.pdf");
        Files.write(forged, text.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(counter.count(forged, PageCounter.PDF)).isEqualTo(new PageCounter.Result.Pages(1));
    }

    @Test
    void refuses_what_is_not_what_the_client_says() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk"), "hello, printer");
        assertThat(counter.count(junk, PageCounter.PDF)).isInstanceOf(PageCounter.Result.Refused.class);
        assertThat(counter.count(junk, PageCounter.JPEG)).isInstanceOf(PageCounter.Result.Refused.class);
        assertThat(counter.count(pdf(1), PageCounter.JPEG)).isInstanceOf(PageCounter.Result.Refused.class);
        assertThat(counter.count(junk, "application/postscript")).isInstanceOf(PageCounter.Result.Refused.class);
    }

    @Test
    void refuses_a_truncated_pdf() throws IOException {
        byte[] whole = Files.readAllBytes(pdf(5));
        Path cut = dir.resolve("cut.pdf");
        Files.write(cut, java.util.Arrays.copyOf(whole, 40));
        assertThat(counter.count(cut, PageCounter.PDF)).isInstanceOf(PageCounter.Result.Refused.class);
    }

    @Test
    void counts_a_decompression_bomb_without_inflating_it() throws IOException {
        // A page whose content stream inflates to 1 GiB from about 1 MB on disk: counting must not decode it.
        Path bomb = dir.resolve("bomb.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            org.apache.pdfbox.cos.COSStream content = doc.getDocument().createCOSStream();
            content.setItem(org.apache.pdfbox.cos.COSName.FILTER, org.apache.pdfbox.cos.COSName.FLATE_DECODE);
            try (var raw = content.createRawOutputStream();
                    var deflate = new java.util.zip.DeflaterOutputStream(raw, new java.util.zip.Deflater(9))) {
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 1024; i++) {
                    deflate.write(zeros);
                }
            }
            page.setContents(new org.apache.pdfbox.pdmodel.common.PDStream(content));
            doc.save(bomb.toFile());
        }
        assertThat(Files.size(bomb)).isLessThan(5L << 20);
        assertThat(counter.count(bomb, PageCounter.PDF)).isEqualTo(new PageCounter.Result.Pages(1));
    }

    private PageCounter.Result count(byte[] pdf) throws IOException {
        Path file = dir.resolve("hostile.pdf");
        Files.write(file, pdf);
        return counter.count(file, PageCounter.PDF);
    }

    private static void refused(PageCounter.Result result, String reason) {
        assertThat(result).isInstanceOfSatisfying(PageCounter.Result.Refused.class, r -> assertThat(r.reason()).isEqualTo(reason));
    }

    @Test
    void counts_a_page_tree_of_ordinary_depth_and_refuses_one_too_deep_to_be_honest() throws IOException {
        assertThat(count(PdfBombs.deepPageTree(PageCounter.MAX_TREE_DEPTH - 1))).isEqualTo(new PageCounter.Result.Pages(1));
        refused(count(PdfBombs.deepPageTree(100_000)), "unreadable");
    }

    @Test
    void refuses_a_page_tree_that_names_one_page_a_million_times_as_too_many_pages() throws IOException {
        refused(count(PdfBombs.wideKids(1_000_000)), "too_many_pages");
    }

    @Test
    void refuses_a_page_tree_that_loops() throws IOException {
        refused(count(PdfBombs.loopingPageTree()), "unreadable");
    }

    @Test
    void refuses_an_object_stream_that_inflates_to_gigabytes_without_inflating_it_all() throws IOException {
        byte[] bomb = PdfBombs.inflatingObjectStream(1L << 30);
        assertThat(bomb.length).isLessThan(4 << 20);
        long started = System.nanoTime();
        refused(count(bomb), "unreadable");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(10));
    }

    @Test
    void counts_a_one_page_pdf_whose_objects_are_in_a_small_object_stream() throws IOException {
        assertThat(count(PdfBombs.inflatingObjectStream(10))).isEqualTo(new PageCounter.Result.Pages(1));
    }

    @Test
    void a_jpeg_is_one_page() throws IOException {
        Path jpeg = dir.resolve("photo.jpg");
        Files.write(jpeg, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16});
        assertThat(counter.count(jpeg, PageCounter.JPEG)).isEqualTo(new PageCounter.Result.Pages(1));
    }
}
