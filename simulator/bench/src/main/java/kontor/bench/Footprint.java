package kontor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kontor.cli.RunCommand;
import kontor.site.SiteFileException;
import kontor.site.SiteFiles;

/**
 * Footprint: a generated 2,000-device site started in a child JVM of its own (so that the numbers
 * are the gateway's, not the benchmark's) on an external Mosquitto. Start is the wall time from
 * launching the child JVM to its gateway running and connected; heap is what is left after a full
 * GC once the gateway has settled; RSS is the child's resident set from /proc/PID/status.
 */
final class Footprint implements Figure {
    /** Start with the class-data archive an earlier start wrote, and the first start, which writes it. */
    static final double START_S = 1.5;
    static final double FIRST_START_S = 3;
    static final double HEAP_MB = 32;
    /** So that a 512 MB board (Pi Zero 2 W, Pi 3A+) runs the gateway beside the OS and Mosquitto. */
    static final double RSS_MB = 128;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String name() {
        return "footprint";
    }

    @Override
    public String description() {
        return "a generated 2,000-device site in a child JVM, its console and IPP print server included: start time,"
                + " heap after GC, RSS";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        GeneratedSite.Size size = GeneratedSite.Size.FULL.scaled(Math.min(1, context.settings().scale()));
        String yaml = GeneratedSite.yaml(size);
        try {
            SiteFiles.parse("generated", yaml);
        } catch (SiteFileException e) {
            throw new BenchException("the generated site is not valid: " + e.problems().getFirst());
        }
        Path dir = context.directory("footprint");
        Path siteFile = dir.resolve("site.yaml");
        Files.writeString(siteFile, yaml, StandardCharsets.UTF_8);
        int runs = context.settings().runs();
        List<Double> starts = new ArrayList<>();
        List<Double> heaps = new ArrayList<>();
        List<Double> rsss = new ArrayList<>();
        Map<String, Object> last = Map.of();
        List<String> options = childOptions(context, dir.resolve("kontor.jsa"));
        Map<String, Object> first;
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"))) {
            // An installed gateway's first start writes its class-data archive and creates its database; every
            // later one is a restart: it maps the archive and opens that database (its schema up to date). That
            // first start is reported apart; the figure is the restarts after it.
            Path data = dir.resolve("data");
            first = child(context, options, siteFile, data, broker.url(), 500);
            context.say("footprint: first start (writes the class-data archive) %.2f s", first.get("start_s"));
            for (int run = 0; run < runs; run++) {
                Map<String, Object> m = child(context, options, siteFile, data, broker.url(), settleMs(context));
                starts.add((Double) m.get("start_s"));
                heaps.add((Double) m.get("heap_mb"));
                rsss.add((Double) m.get("rss_mb"));
                last = m;
                context.say("footprint: run %d: start %.2f s, heap %.1f MB, RSS %.0f MB", run + 1,
                        m.get("start_s"), m.get("heap_mb"), m.get("rss_mb"));
            }
        }
        Map<String, Object> common = new LinkedHashMap<>();
        common.put("devices", size.devices());
        common.put("site", Map.of("lockers", size.lockers(), "room_doors", size.rooms(), "rooms_with_reader",
                size.roomsWithReader(), "copiers", size.copiers(), "printers", size.copiersAndPrinters() - size.copiers(),
                "sensors", size.sensors(), "readers", size.readers()));
        common.put("child_jvm_options", options);

        Map<String, Object> start = new LinkedHashMap<>(common);
        start.put("runs", Numbers.rounded(starts));
        start.put("http_served", last.get("http_served"));
        start.put("main_to_started_s", last.get("main_to_started_s"));
        start.put("phases_ms", last.get("phases_ms"));
        start.put("measured", "child JVM launched -> gateway started and connected to Mosquitto; includes the JVM's"
                + " own start and parsing the site file; a restart: with the class-data archive and the database"
                + " the first start wrote (footprint.first_start: that start, on a new database)");
        Map<String, Object> heap = new LinkedHashMap<>(common);
        heap.put("runs", Numbers.rounded(heaps));
        heap.put("heap_committed_mb", last.get("heap_committed_mb"));
        heap.put("measured", "heap used after System.gc(), " + FootprintChild.SETTLE.toSeconds() + " s after start (less when scaled down)");
        Map<String, Object> rss = new LinkedHashMap<>(common);
        rss.put("runs", Numbers.rounded(rsss));
        rss.put("rss_peak_mb", last.get("rss_peak_mb"));
        rss.put("threads", last.get("threads"));
        rss.put("measured", "VmRSS of the child from /proc/PID/status, after the heap was measured");
        Map<String, Object> firstStart = new LinkedHashMap<>(common);
        firstStart.put("phases_ms", first.get("phases_ms"));
        firstStart.put("measured", "as footprint.start, the first start of an installation: it writes the class-data archive"
                + " and creates the database");
        return List.of(
                new Result("footprint.start", Results.median(starts), "s", Target.atMost(START_S), start),
                new Result("footprint.first_start", (Double) first.get("start_s"), "s", Target.atMost(FIRST_START_S), firstStart),
                new Result("footprint.heap", Results.median(heaps), "MB", Target.atMost(HEAP_MB), heap),
                new Result("footprint.rss", Results.median(rsss), "MB", Target.atMost(RSS_MB), rss));
    }

    private static long settleMs(BenchContext context) {
        return Math.max(500, Math.round(FootprintChild.SETTLE.toMillis() * Math.min(1, context.settings().scale())));
    }

    private static Map<String, Object> child(BenchContext context, List<String> options, Path siteFile, Path data,
            String broker, long settleMs) throws IOException, InterruptedException {
        Path log = data.resolveSibling(data.getFileName() + ".log");
        ProcessBuilder builder = ChildJvm.of(options, FootprintChild.class,
                siteFile.toString(), data.toString(), broker, Long.toString(settleMs)).redirectError(log.toFile());
        long launched = System.nanoTime();
        Process child = ChildJvm.start(builder);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = child.getOutputStream()) {
            JsonNode started = expect(out, "started", child, log);
            double startS = (System.nanoTime() - launched) / 1e9;
            // Used once, as a site's first visitor would: the console's page and the print queue's printer.
            String served = started.hasNonNull("http") ? Served.ask(java.net.URI.create(started.get("http").asText())) : "no HTTP";
            JsonNode measured = expect(out, "measured", child, log);
            Map<String, Long> status = procStatus(child.pid());
            in.write('\n');
            in.flush();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start_s", startS);
            m.put("main_to_started_s", started.get("main_to_started_ms").asDouble() / 1000);
            Map<String, Object> phases = new LinkedHashMap<>();
            for (String phase : List.of("parse_ms", "board_ms", "gateway_start_ms", "connect_ms")) {
                phases.put(phase, Numbers.round(started.get(phase).asDouble()));
            }
            m.put("phases_ms", phases);
            m.put("http_served", served);
            m.put("heap_mb", measured.get("heap_used_bytes").asDouble() / (1 << 20));
            m.put("heap_committed_mb", measured.get("heap_committed_bytes").asDouble() / (1 << 20));
            m.put("threads", measured.get("threads").asInt());
            m.put("rss_mb", status.getOrDefault("VmRSS", -1L) / 1024.0);
            m.put("rss_peak_mb", status.getOrDefault("VmHWM", -1L) / 1024.0);
            return m;
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    private static JsonNode expect(BufferedReader out, String what, Process child, Path log) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(what + " ")) {
                return MAPPER.readTree(line.substring(what.length() + 1));
            }
        }
        String tail = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        tail = tail.length() > 600 ? tail.substring(tail.length() - 600) : tail;
        throw new BenchException("the footprint child ended before '" + what + "': " + tail.strip());
    }

    /** The gateway's HTTP server, asked once: the console's page and the held print queue's printer attributes. */
    static final class Served {
        private Served() { }

        /** {@code "console 200, ipp 200"}: the HTTP status of each. */
        static String ask(java.net.URI base) throws IOException, InterruptedException {
            try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
                var console = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/")).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                var ipp = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/ipp/print"))
                        .header("Content-Type", "application/ipp")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(getPrinterAttributes(base))).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                return "console " + console.statusCode() + ", ipp " + ipp.statusCode();
            }
        }

        /** An IPP 2.0 Get-Printer-Attributes request for the print queue (RFC 8010, section 3). */
        static byte[] getPrinterAttributes(java.net.URI base) throws IOException {
            var bytes = new java.io.ByteArrayOutputStream();
            var out = new java.io.DataOutputStream(bytes);
            out.writeShort(0x0200);  // version 2.0
            out.writeShort(0x000B);  // Get-Printer-Attributes
            out.writeInt(1);         // request-id
            out.writeByte(0x01);     // operation-attributes-tag
            attribute(out, 0x47, "attributes-charset", "utf-8");
            attribute(out, 0x48, "attributes-natural-language", "en");
            attribute(out, 0x45, "printer-uri", "ipp://" + base.getHost() + ":" + base.getPort() + "/ipp/print");
            out.writeByte(0x03);     // end-of-attributes-tag
            return bytes.toByteArray();
        }

        private static void attribute(java.io.DataOutputStream out, int tag, String name, String value) throws IOException {
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            out.writeByte(tag);
            out.writeShort(n.length);
            out.write(n);
            out.writeShort(v.length);
            out.write(v);
        }
    }

    /** The kB figures of /proc/PID/status (VmRSS, VmHWM, ...). */
    static Map<String, Long> procStatus(long pid) throws IOException {
        Map<String, Long> kb = new LinkedHashMap<>();
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            throw new BenchException("cannot read " + status + ": RSS is measured on Linux only");
        }
        for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.endsWith(" kB")) {
                kb.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1, line.length() - 3).strip()));
            }
        }
        return kb;
    }

    /** The options an installed gateway runs with, then the user's ({@code --child-jvm-option}, which win). */
    private static List<String> childOptions(BenchContext context, Path archive) {
        List<String> options = new ArrayList<>(RunCommand.JVM_OPTIONS);
        options.addAll(RunCommand.classArchiveOptions(archive.toString()));
        options.addAll(context.settings().childJvmOptions());
        return options;
    }
}
