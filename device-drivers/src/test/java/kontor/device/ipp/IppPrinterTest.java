package kontor.device.ipp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hp.jipp.cups.Cups;
import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.encoding.Tag;
import com.hp.jipp.model.PrinterState;
import com.hp.jipp.model.Status;
import com.hp.jipp.model.Types;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kontor.device.Health;
import kontor.device.PrinterStatus;
import kontor.device.Signal;
import kontor.testing.IppEvePrinter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IppPrinterTest {
    private static IppEvePrinter real;

    private final List<Signal> signals = new CopyOnWriteArrayList<>();
    private IppPrinter printer;

    @BeforeAll
    static void startPrinter() {
        real = IppEvePrinter.start();
    }

    @AfterAll
    static void stopPrinter() {
        real.close();
    }

    @AfterEach
    void closePrinter() {
        if (printer != null) {
            printer.close();
        }
        real.run();
        real.toner(75);
        real.paperOut(false);
    }

    private IppPrinter watch(URI uri, Duration timeout) {
        printer = new IppPrinter("printer-1", uri, timeout, signals::add);
        return printer;
    }

    @Test
    void reads_state_reasons_and_toner_of_a_real_ipp_printer() {
        watch(real.uri(), Duration.ofSeconds(5)).poll();

        assertThat(printer.status()).isEqualTo(new PrinterStatus("idle", List.of(), true,
                List.of(new PrinterStatus.Marker("Black Toner", "#000000", 75))));
        assertThat(printer.health()).isEqualTo(Health.ONLINE);
        assertThat(signals).containsExactly(
                new Signal.HealthChanged("printer-1", Health.ONLINE),
                new Signal.PrinterReport("printer-1", printer.status()));
    }

    @Test
    void reports_health_only_when_it_changes_but_the_status_at_every_poll() {
        watch(real.uri(), Duration.ofSeconds(5));
        printer.poll();
        printer.poll();

        assertThat(signals).filteredOn(Signal.HealthChanged.class::isInstance).hasSize(1);
        assertThat(signals).filteredOn(Signal.PrinterReport.class::isInstance).hasSize(2);
    }

    @Test
    void follows_the_toner_level_and_an_empty_paper_tray() {
        watch(real.uri(), Duration.ofSeconds(5));
        real.toner(4);
        real.paperOut(true);
        printer.poll();

        assertThat(printer.status().markers()).extracting(PrinterStatus.Marker::level).containsExactly(4);
        assertThat(printer.status().reasons()).contains("media-empty-report");
    }

    @Test
    void a_stopped_printer_is_unreachable_with_the_reason_and_comes_back_when_started() {
        watch(real.uri(), Duration.ofSeconds(5)).poll();
        real.stop();
        printer.poll();

        assertThat(printer.status()).isEqualTo(PrinterStatus.UNREACHABLE);
        assertThat(printer.health()).isEqualTo(Health.offline("connection refused"));

        real.run();
        printer.poll();

        assertThat(printer.status().state()).isEqualTo("idle");
        assertThat(signals).filteredOn(Signal.HealthChanged.class::isInstance)
                .extracting(s -> ((Signal.HealthChanged) s).health().isOnline())
                .containsExactly(true, false, true);
    }

    @Test
    void a_printer_that_never_answers_times_out() throws IOException {
        // Accepts the connection (the kernel's backlog does) but never reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            watch(URI.create("ipp://127.0.0.1:" + silent.getLocalPort() + "/ipp/print"), Duration.ofMillis(300)).poll();
        }

        assertThat(printer.status()).isEqualTo(PrinterStatus.UNREACHABLE);
        assertThat(printer.health().detail()).isEqualTo("no answer within 300 ms");
    }

    @Test
    void a_web_server_that_is_no_printer_is_unreachable_with_what_it_answered() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.createContext("/html", exchange -> {
            byte[] page = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            watch(URI.create(base + "/missing"), Duration.ofSeconds(5)).poll();
            assertThat(printer.health().detail()).startsWith("HTTP 404");
            printer.close();

            watch(URI.create(base + "/html"), Duration.ofSeconds(5)).poll();
            assertThat(printer.health().detail()).startsWith("the answer is not IPP");
            assertThat(printer.status()).isEqualTo(PrinterStatus.UNREACHABLE);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void an_ipp_error_status_makes_the_printer_unreachable() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            IppPacket.response(Status.clientErrorNotFound).build().write(exchange.getResponseBody());
            exchange.close();
        });
        server.start();
        try {
            watch(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ipp/print"), Duration.ofSeconds(5)).poll();
            assertThat(printer.health().detail()).isEqualTo("IPP status client-error-not-found");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void cups_marker_attributes_give_the_supplies_without_waste_containers() throws Exception {
        IppPacket answer = IppPacket.response(Status.successfulOk)
                .putPrinterAttributes(
                        Types.printerState.of(PrinterState.stopped),
                        Types.printerStateReasons.of("media-jam-error", "toner-low-warning"),
                        Types.printerIsAcceptingJobs.of(true),
                        Cups.Types.markerNames.of("Black Toner", "Cyan Toner", "Waste Toner Box"),
                        Cups.Types.markerLevels.of(12, -3, 90),
                        Cups.Types.markerColors.of("#000000", "#00FFFF", "none"),
                        Cups.Types.markerTypes.of("toner", "toner", "waste-toner"))
                .build();

        PrinterStatus status = IppPrinter.statusOf(answer);

        assertThat(status).isEqualTo(new PrinterStatus("stopped", List.of("media-jam-error", "toner-low-warning"), true,
                List.of(new PrinterStatus.Marker("Black Toner", "#000000", 12),
                        new PrinterStatus.Marker("Cyan Toner", "#00FFFF", -1))));
    }

    @Test
    void an_answer_without_printer_attributes_is_not_a_status() {
        IppPacket answer = IppPacket.response(Status.successfulOk).build();

        assertThatThrownBy(() -> IppPrinter.statusOf(answer)).isInstanceOf(IppPrinter.Unreachable.class);
        assertThat(answer.get(Tag.printerAttributes)).isNull();
    }

    @Test
    void waits_half_the_poll_for_an_answer_but_never_more_than_ten_seconds() {
        assertThat(IppPrinter.timeoutFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(2500));
        assertThat(IppPrinter.timeoutFor(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void a_printer_spec_without_uri_cannot_be_watched() {
        assertThatThrownBy(() -> IppPrinter.of("printer-1", null, Duration.ofSeconds(60), signals::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printer-1");
    }
}
