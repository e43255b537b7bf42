package kontor.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.Test;

class RunCommandPrintersTest {

    @Test
    void production_refuses_a_printer_without_an_ipp_uri() {
        assertThatThrownBy(() -> RunCommand.requireWatchedPrinters(SiteFiles.demo(), Path.of("site.yaml")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("printer-1").hasMessageContaining("'ipp'");
    }

    @Test
    void production_accepts_printers_with_an_ipp_uri() throws Exception {
        String yaml = new String(SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE).readAllBytes())
                .replace("- {id: printer-1, kind: printer,", "- {id: printer-1, kind: printer, ipp: ipp://192.168.1.40/ipp/print,");

        assertThatCode(() -> RunCommand.requireWatchedPrinters(SiteFiles.parse("site.yaml", yaml), Path.of("site.yaml")))
                .doesNotThrowAnyException();
    }
}
