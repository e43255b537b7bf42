package kontor.printing;

import com.hp.jipp.encoding.Attribute;
import com.hp.jipp.encoding.AttributeGroup;
import com.hp.jipp.encoding.IntOrIntRange;
import com.hp.jipp.encoding.IppInputStream;
import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.encoding.KeywordOrName;
import com.hp.jipp.encoding.Resolution;
import com.hp.jipp.encoding.ResolutionUnit;
import com.hp.jipp.encoding.Tag;
import com.hp.jipp.model.Finishing;
import com.hp.jipp.model.JobState;
import com.hp.jipp.model.MediaCol;
import com.hp.jipp.model.MediaColDatabase;
import com.hp.jipp.model.MediaSizeSupported;
import com.hp.jipp.model.Operation;
import com.hp.jipp.model.Orientation;
import com.hp.jipp.model.PrintQuality;
import com.hp.jipp.model.PrinterState;
import com.hp.jipp.model.Status;
import com.hp.jipp.model.Types;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kontor.members.PasswordHash;
import kontor.core.SiteContext;
import kontor.members.ReaderLockout;
import kontor.store.PrivateFiles;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The held print queue's IPP/2.0 server at {@code /ipp/print}, encoded and decoded by jipp: Get-Printer-Attributes
 * (the IPP Everywhere set), Validate-Job, Print-Job (PDF, JPEG), Get-Jobs, Get-Job-Attributes, Cancel-Job. Every
 * operation but Get-Printer-Attributes needs HTTP Basic authentication with a member's print name and PIN; a
 * member sees and cancels only their own jobs.
 *
 * <p>Runs on the HTTP server's threads: the upload is streamed to the spool (bounded by the document limit and
 * {@code policy.print_spool_max}), its pages are counted with {@link PageCounter}, and only the finished job is
 * handed to the site thread ({@link Queue#hold}). Wrong PINs count like denied taps at a reader:
 * {@code policy.denied_taps_before_lockout} within {@code policy.denied_taps_window} lock the print name out for
 * {@code policy.lockout} ({@code print.locked_out}).
 */
final class IppQueueHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(IppQueueHandler.class);

    /** The largest document one job may be (less when the spool limit is lower). */
    static final long MAX_DOCUMENT = 100L * 1024 * 1024;
    /** The most pages one job may have. */
    static final int MAX_PAGES = 500;
    static final String PATH = "/print";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final List<String> FORMATS = java.util.stream.Stream.concat(QueueIdentity.FORMATS.stream(),
            java.util.stream.Stream.of(OCTET_STREAM)).toList();
    private static final List<Operation> OPERATIONS = List.of(Operation.printJob, Operation.validateJob,
            Operation.cancelJob, Operation.getJobAttributes, Operation.getJobs, Operation.getPrinterAttributes);
    private static final String A4 = "iso_a4_210x297mm";
    private static final String LETTER = "na_letter_8.5x11in";

    /** What the handler needs of the queue's rules ({@link PrintQueue}); all but {@link #spoolBytes} go to the site thread. */
    interface Queue {
        /** Holds a spooled document for {@code member}; returns its job id. The file is the job's from then on. */
        int hold(String member, Path incoming, String name, String format, boolean colour, int pages, long size)
                throws IOException;

        /** Cancels a held job of {@code member}'s; false when it is not held (any more). */
        boolean cancelByOwner(int job, String member);

        /** Bytes the spool holds now. */
        long spoolBytes();

        /** A job was refused because the spool is full. */
        void spoolFull(long bytes);

        /** A print name was locked out after too many wrong PINs ({@code member} null: not a member's). */
        void lockedOut(String member, Instant until);

        /** Whether a printer of the queue prints colour at a price of its own. */
        boolean colour();
    }

    private final Queue queue;
    private final SiteContext site;
    private final PrintStore store;
    private final Path spool;
    private final PageCounter counter = new PageCounter(MAX_PAGES);
    private final ReaderLockout lockout;
    /** The queue's PIN checks: hashed apart from the console's log-ins, at most a few per client address. */
    private final PasswordHash.Surface logins = new PasswordHash.Surface();
    private final long upSince = System.nanoTime();
    private final String uuid;

    IppQueueHandler(Queue queue, SiteContext site, PrintStore store, Path spool) {
        this.queue = queue;
        this.site = site;
        this.store = store;
        this.spool = spool;
        var policy = site.site().policy();
        this.lockout = new ReaderLockout(policy.deniedTapsBeforeLockout(), policy.deniedTapsWindow(), policy.lockout());
        this.uuid = QueueIdentity.printerUuid(site.site().id());
    }

    /** Who sent a request: the member behind a print name, or nobody (no or wrong credentials). */
    private record Caller(String member, String name) { }

    /** An IPP answer that ends the request early, with its HTTP status (401 asks for credentials). */
    private static final class Refusal extends Exception {
        final Status status;
        final int http;

        Refusal(Status status, int http, String message) {
            super(message, null, false, false);
            this.status = status;
            this.http = http;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(PATH)) {
            response.setStatus(404);
            callback.succeeded();
            return true;
        }
        if (!request.getMethod().equals("POST")) {
            response.setStatus(405);
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            callback.succeeded();
            return true;
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/ipp")) {
            response.setStatus(415);
            callback.succeeded();
            return true;
        }
        IppPacket answer;
        int http = 200;
        try (InputStream in = Content.Source.asInputStream(request)) {
            IppInputStream ipp = new IppInputStream(in);
            IppPacket req;
            try {
                req = ipp.readPacket();
            } catch (IOException | RuntimeException e) {
                // Not IPP: answered in IPP all the same, with request id 0 as the request's cannot be trusted.
                answer = IppPacket.response(Status.clientErrorBadRequest).setRequestId(0)
                        .putOperationAttributes(Types.statusMessage.of("the request is not IPP: " + e.getClass().getSimpleName()))
                        .build();
                write(response, callback, 400, answer);
                return true;
            }
            try {
                answer = dispatch(req, ipp, request);
            } catch (Refusal r) {
                http = r.http;
                if (r.http == 401) {
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"Kontor print\", charset=\"UTF-8\"");
                } else if (r.http == 503) {
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                }
                answer = status(req, r.status, r.getMessage()).build();
            }
        } catch (IOException e) {
            // The client went away or stalled mid-upload: nothing was stored.
            log.debug("IPP request broke off: {}", e.toString());
            response.setStatus(400);
            callback.succeeded();
            return true;
        } catch (RuntimeException e) {
            log.error("The print queue failed on a request", e);
            answer = IppPacket.response(Status.serverErrorInternalError).setRequestId(0).build();
            http = 500;
        }
        write(response, callback, http, answer);
        return true;
    }

    private static void write(Response response, Callback callback, int http, IppPacket answer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            answer.write(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        response.setStatus(http);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/ipp");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
    }

    private IppPacket dispatch(IppPacket req, InputStream document, Request http) throws Refusal, IOException {
        int major = req.getVersionNumber() >> 8;
        if (major != 1 && major != 2) {
            throw new Refusal(Status.serverErrorVersionNotSupported, 200, "IPP 1.1 or 2.0");
        }
        AttributeGroup op = req.get(Tag.operationAttributes);
        if (op == null || req.getRequestId() == 0 || op.get(Types.attributesCharset) == null
                || op.get(Types.attributesNaturalLanguage) == null) {
            throw new Refusal(Status.clientErrorBadRequest, 200,
                    "a request needs a request id, attributes-charset and attributes-natural-language");
        }
        String charset = op.getValue(Types.attributesCharset);
        if (charset == null || !(charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("us-ascii"))) {
            throw new Refusal(Status.clientErrorCharsetNotSupported, 200, "utf-8 only");
        }
        if (op.get(Types.printerUri) == null && op.get(Types.jobUri) == null) {
            throw new Refusal(Status.clientErrorBadRequest, 200, "printer-uri or job-uri is missing");
        }
        Operation operation = req.getOperation();
        if (operation.equals(Operation.getPrinterAttributes)) {
            return printerAttributes(req, op, http);
        }
        if (!OPERATIONS.contains(operation)) {
            throw new Refusal(Status.serverErrorOperationNotSupported, 200, "not an operation of this queue");
        }
        Caller caller = authenticate(http);
        if (operation.equals(Operation.validateJob)) {
            format(op);
            return status(req, Status.successfulOk, null).build();
        }
        if (operation.equals(Operation.printJob)) {
            return printJob(req, op, document, caller, http);
        }
        if (operation.equals(Operation.getJobs)) {
            return getJobs(req, op, caller, http);
        }
        PrintJob job = ownJob(op, caller);
        if (operation.equals(Operation.getJobAttributes)) {
            return status(req, Status.successfulOk, null).putJobAttributes(jobAttributes(job, caller, http)).build();
        }
        // Cancel-Job
        if (!job.held() || !queue.cancelByOwner(job.id(), caller.member())) {
            throw new Refusal(Status.clientErrorNotPossible, 200, "only a held job can be cancelled");
        }
        return status(req, Status.successfulOk, null).build();
    }

    // ---- authentication

    private Caller authenticate(Request http) throws Refusal {
        String header = http.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new Refusal(Status.clientErrorNotAuthenticated, 401, "log in with your print name and PIN");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Status.clientErrorNotAuthorized, 401, "malformed credentials");
        }
        int colon = decoded.indexOf(':');
        String name = colon < 0 ? decoded : decoded.substring(0, colon);
        String pin = colon < 0 ? "" : decoded.substring(colon + 1);
        // A name no member can have is counted under one key, so that long made-up names cost no memory.
        String key = "print:" + (name.length() > 64 ? "(too long)" : name);
        Instant now = site.clock().now();
        if (lockout.lockedOut(key, now)) {
            throw new Refusal(Status.clientErrorNotAuthorized, 401, "too many wrong PINs: try again later");
        }
        Optional<PrintStore.Login> login = name.length() > 64 ? Optional.empty()
                : site.db().read(tx -> store.login(tx, name));
        Optional<Boolean> checked = logins.verify(Request.getRemoteAddr(http), pin.toCharArray(),
                login.map(PrintStore.Login::pinHash).orElse(null));
        if (checked.isEmpty()) {
            // Not a wrong PIN (nothing was checked): this client, or the queue, has too many log-ins under way.
            throw new Refusal(Status.serverErrorBusy, 503, "too many log-ins at once: try again in a moment");
        }
        boolean ok = checked.get();
        if (!ok || site.members().byId(login.get().member()).map(m -> m.revoked() || m.expiredAt(now)).orElse(true)) {
            if (lockout.recordDenied(key, now)) {
                queue.lockedOut(login.map(PrintStore.Login::member).orElse(null),
                        lockout.lockedUntil(key, now).orElse(now));
            }
            throw new Refusal(Status.clientErrorNotAuthorized, 401, "wrong print name or PIN");
        }
        lockout.clear(key);
        return new Caller(login.get().member(), login.get().name());
    }

    // ---- jobs

    private String format(AttributeGroup op) throws Refusal {
        String format = op.getValue(Types.documentFormat);
        if (format == null) {
            return OCTET_STREAM;
        }
        if (!FORMATS.contains(format)) {
            throw new Refusal(Status.clientErrorDocumentFormatNotSupported, 200,
                    "the queue prints " + String.join(", ", QueueIdentity.FORMATS));
        }
        return format;
    }

    private IppPacket printJob(IppPacket req, AttributeGroup op, InputStream document, Caller caller, Request http)
            throws Refusal, IOException {
        String format = format(op);
        AttributeGroup jobGroup = req.get(Tag.jobAttributes);
        String mode = jobGroup == null ? null : jobGroup.getValue(Types.printColorMode);
        boolean colour = "color".equals(mode);
        String name = Optional.ofNullable(op.getValue(Types.jobName)).map(n -> n.getValue())
                .or(() -> Optional.ofNullable(op.getValue(Types.documentName)).map(n -> n.getValue())).orElse("untitled");
        if (name.length() > 255) {
            name = name.substring(0, 255);
        }
        long spoolMax = site.site().policy().printSpoolMaxBytes();
        long room = spoolMax - queue.spoolBytes();
        long limit = Math.min(MAX_DOCUMENT, spoolMax);
        if (room <= 0) {
            queue.spoolFull(spoolMax - room);
            throw new Refusal(Status.serverErrorBusy, 200, "the print queue is full: try again later");
        }
        Path incoming = spool.resolve("incoming-" + UUID.randomUUID());
        PrivateFiles.create(incoming);
        boolean kept = false;
        try {
            long size;
            try (OutputStream out = Files.newOutputStream(incoming)) {
                size = copy(document, out, Math.min(limit, room));
            }
            if (size < 0) {
                if (-size > room && room < limit) {
                    queue.spoolFull(spoolMax);
                    throw new Refusal(Status.serverErrorBusy, 200, "the print queue is full: try again later");
                }
                throw new Refusal(Status.clientErrorRequestEntityTooLarge, 413,
                        "a document may have at most " + limit / (1024 * 1024) + " MB");
            }
            if (format.equals(OCTET_STREAM)) {
                format = sniff(incoming);
            }
            PageCounter.Result counted = counter.count(incoming, format);
            int pages = switch (counted) {
                case PageCounter.Result.Pages p -> p.pages();
                case PageCounter.Result.Refused r -> throw new Refusal(switch (r.reason()) {
                    case "encrypted" -> Status.clientErrorDocumentPasswordError;
                    case "too_many_pages" -> Status.clientErrorDocumentUnprintableError;
                    default -> Status.clientErrorDocumentFormatError;
                }, 200, r.detail());
            };
            int id = queue.hold(caller.member(), incoming, name, format, colour, pages, size);
            kept = true;
            PrintJob job = site.db().read(tx -> store.job(tx, id)).orElseThrow();
            return status(req, Status.successfulOk, null).putJobAttributes(List.of(
                    Types.jobId.of(id), Types.jobUri.of(jobUri(http, id)),
                    Types.jobState.of(state(job)), Types.jobStateReasons.of(reasons(job)))).build();
        } finally {
            if (!kept) {
                Files.deleteIfExists(incoming);
            }
        }
    }

    /** Copies at most {@code limit} bytes; returns the count, or minus the count read when there was more. */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > limit) {
                return -total;
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    private static String sniff(Path file) throws IOException {
        byte[] head = new byte[5];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n >= 3 && head[0] == (byte) 0xFF && head[1] == (byte) 0xD8 && head[2] == (byte) 0xFF) {
                return PageCounter.JPEG;
            }
        }
        return PageCounter.PDF;
    }

    private IppPacket getJobs(IppPacket req, AttributeGroup op, Caller caller, Request http) throws Refusal {
        String which = Optional.ofNullable(op.getValue(Types.whichJobs)).orElse("not-completed");
        if (!which.equals("not-completed") && !which.equals("completed") && !which.equals("all")) {
            throw new Refusal(Status.clientErrorAttributesOrValuesNotSupported, 200, "which-jobs: not-completed, completed or all");
        }
        Integer limit = op.getValue(Types.limit);
        List<PrintJob> jobs = site.db().read(tx -> store.ofMember(tx, caller.member(), false)).stream()
                .filter(j -> which.equals("all") || (which.equals("completed") == j.done())).toList();
        IppPacket.Builder answer = status(req, Status.successfulOk, null);
        int n = 0;
        for (PrintJob job : jobs) {
            if (limit != null && n++ >= limit) {
                break;
            }
            answer.addGroup(AttributeGroup.groupOf(Tag.jobAttributes, jobAttributes(job, caller, http)));
        }
        return answer.build();
    }

    /** The caller's job named by job-id (with printer-uri) or job-uri; another member's job is not found. */
    private PrintJob ownJob(AttributeGroup op, Caller caller) throws Refusal {
        Integer id = op.getValue(Types.jobId);
        if (id == null) {
            URI uri = op.getValue(Types.jobUri);
            String path = uri == null ? "" : uri.getPath();
            int slash = path.lastIndexOf('/');
            try {
                id = slash < 0 ? null : Integer.valueOf(path.substring(slash + 1));
            } catch (NumberFormatException e) {
                id = null;
            }
        }
        if (id == null) {
            throw new Refusal(Status.clientErrorBadRequest, 200, "job-id or job-uri is missing");
        }
        int jobId = id;
        return site.db().read(tx -> store.job(tx, jobId)).filter(j -> j.member().equals(caller.member()))
                .orElseThrow(() -> new Refusal(Status.clientErrorNotFound, 200, "no such job"));
    }

    private List<Attribute<?>> jobAttributes(PrintJob job, Caller caller, Request http) {
        List<Attribute<?>> a = new ArrayList<>();
        a.add(Types.jobId.of(job.id()));
        a.add(Types.jobUri.of(jobUri(http, job.id())));
        a.add(Types.jobPrinterUri.of(printerUri(http)));
        a.add(Types.jobState.of(state(job)));
        a.add(Types.jobStateReasons.of(reasons(job)));
        a.add(Types.jobName.of(job.name()));
        a.add(Types.jobOriginatingUserName.of(caller.name()));
        a.add(Types.jobImpressions.of(job.pages()));
        a.add(Types.jobImpressionsCompleted.of(job.impressions() == null ? 0 : job.impressions()));
        a.add(Types.documentFormat.of(job.format()));
        a.add(Types.timeAtCreation.of(upTime()));
        a.add(Types.jobPrinterUpTime.of(upTime()));
        return a;
    }

    private static JobState state(PrintJob job) {
        return switch (job.status()) {
            case PrintJob.HELD -> JobState.pendingHeld;
            case PrintJob.RELEASING -> JobState.processing;
            case PrintJob.COMPLETED -> JobState.completed;
            case PrintJob.FAILED -> JobState.aborted;
            default -> JobState.canceled;
        };
    }

    private static String reasons(PrintJob job) {
        return switch (job.status()) {
            case PrintJob.HELD -> "job-hold-until-specified";
            case PrintJob.RELEASING -> "job-printing";
            case PrintJob.COMPLETED -> "job-completed-successfully";
            case PrintJob.FAILED -> "aborted-by-system";
            case PrintJob.CANCELLED -> "job-canceled-by-user";
            default -> "job-canceled-at-device";
        };
    }

    // ---- the printer

    private IppPacket printerAttributes(IppPacket req, AttributeGroup op, Request http) {
        List<String> requested = op.getValues(Types.requestedAttributes);
        Set<String> wanted = new HashSet<>(requested);
        boolean all = requested.isEmpty() || wanted.contains("all") || wanted.contains("printer-description")
                || wanted.contains("job-template") || wanted.contains("media-col-database");
        List<Attribute<?>> out = new ArrayList<>();
        for (Attribute<?> a : printerAttributes(http)) {
            if (all || wanted.contains(a.getName())) {
                out.add(a);
            }
        }
        return status(req, Status.successfulOk, null).putPrinterAttributes(out).build();
    }

    private List<Attribute<?>> printerAttributes(Request http) {
        boolean colour = queue.colour();
        int held = site.db().read(tx -> store.count(tx, PrintJob.HELD));
        URI uri = printerUri(http);
        boolean secure = uri.getScheme().equals("ipps");
        MediaCol a4 = media(21000, 29700);
        List<Attribute<?>> a = new ArrayList<>();
        a.add(Types.printerUriSupported.of(uri));
        a.add(Types.uriSecuritySupported.of(secure ? "tls" : "none"));
        a.add(Types.uriAuthenticationSupported.of("basic"));
        a.add(Types.printerName.of(QueueIdentity.printerName(site.site())));
        a.add(Types.printerInfo.of("Kontor - print and pay: release your jobs with your card at the printer"));
        a.add(Types.printerLocation.of(site.site().name()));
        a.add(Types.printerMakeAndModel.of(QueueIdentity.MAKE_AND_MODEL));
        a.add(Types.printerMoreInfo.of(URI.create(uri.toString().replaceFirst("^ipps?://", secure ? "https://" : "http://"))));
        a.add(Types.printerUuid.of(URI.create(uuid)));
        a.add(Types.printerDeviceId.of("MFG:Kontor;MDL:Held print queue;CMD:PDF,JPEG;"));
        a.add(Types.printerGeoLocation.unknown());
        a.add(Types.printerOrganization.of(""));
        a.add(Types.printerOrganizationalUnit.of(""));
        a.add(Types.printerState.of(PrinterState.idle));
        a.add(Types.printerStateReasons.of("none"));
        a.add(Types.printerStateMessage.of(""));
        a.add(Types.printerIsAcceptingJobs.of(true));
        a.add(Types.queuedJobCount.of(held));
        a.add(Types.printerUpTime.of(upTime()));
        a.add(Types.printerConfigChangeTime.of(1));
        a.add(Types.printerStateChangeTime.of(1));
        a.add(Types.printerKind.of("document", "photo"));
        a.add(Types.ippVersionsSupported.of("1.1", "2.0"));
        a.add(Types.ippFeaturesSupported.of("ipp-everywhere"));
        a.add(Types.operationsSupported.of(OPERATIONS));
        a.add(Types.charsetConfigured.of("utf-8"));
        a.add(Types.charsetSupported.of("utf-8"));
        a.add(Types.naturalLanguageConfigured.of("en"));
        a.add(Types.generatedNaturalLanguageSupported.of("en"));
        a.add(Types.compressionSupported.of("none"));
        a.add(Types.documentFormatDefault.of(OCTET_STREAM));
        a.add(Types.documentFormatSupported.of(FORMATS));
        a.add(Types.pdlOverrideSupported.of("attempted"));
        a.add(Types.multipleDocumentJobsSupported.of(false));
        a.add(Types.jobCreationAttributesSupported.of("copies", "media", "media-col", "print-color-mode", "sides",
                "print-quality", "orientation-requested", "finishings", "output-bin", "printer-resolution"));
        a.add(Types.whichJobsSupported.of("completed", "not-completed", "all"));
        a.add(Types.copiesDefault.of(1));
        a.add(Types.copiesSupported.of(new kotlin.ranges.IntRange(1, 1)));
        a.add(Types.finishingsDefault.of(Finishing.none));
        a.add(Types.finishingsSupported.of(Finishing.none));
        a.add(Types.orientationRequestedDefault.of(Orientation.portrait));
        a.add(Types.orientationRequestedSupported.of(Orientation.portrait));
        a.add(Types.outputBinDefault.of(new KeywordOrName("face-down")));
        a.add(Types.outputBinSupported.of(new KeywordOrName("face-down")));
        a.add(Types.sidesDefault.of("one-sided"));
        a.add(Types.sidesSupported.of("one-sided"));
        a.add(Types.printColorModeDefault.of("monochrome"));
        a.add(colour ? Types.printColorModeSupported.of("monochrome", "color")
                : Types.printColorModeSupported.of("monochrome"));
        a.add(Types.printQualityDefault.of(PrintQuality.normal));
        a.add(Types.printQualitySupported.of(PrintQuality.normal));
        Resolution dpi = new Resolution(300, 300, ResolutionUnit.dotsPerInch);
        a.add(Types.printerResolutionDefault.of(dpi));
        a.add(Types.printerResolutionSupported.of(dpi));
        a.add(Types.mediaDefault.of(new KeywordOrName(A4)));
        a.add(Types.mediaSupported.of(new KeywordOrName(A4), new KeywordOrName(LETTER)));
        a.add(Types.mediaReady.of(new KeywordOrName(A4)));
        a.add(Types.mediaColDefault.of(a4));
        a.add(Types.mediaColReady.of(database(21000, 29700)));
        a.add(Types.mediaColDatabase.of(database(21000, 29700), database(21590, 27940)));
        a.add(Types.mediaColSupported.of("media-size", "media-top-margin", "media-bottom-margin", "media-left-margin",
                "media-right-margin"));
        a.add(Types.mediaSizeSupported.of(size(21000, 29700), size(21590, 27940)));
        a.add(Types.mediaTopMarginSupported.of(423));
        a.add(Types.mediaBottomMarginSupported.of(423));
        a.add(Types.mediaLeftMarginSupported.of(423));
        a.add(Types.mediaRightMarginSupported.of(423));
        a.add(Types.mediaSourceSupported.of(new KeywordOrName("auto")));
        a.add(Types.mediaTypeSupported.of(new KeywordOrName("stationery")));
        a.add(Types.identifyActionsDefault.of("display"));
        a.add(Types.identifyActionsSupported.of("display"));
        a.add(Types.pdfVersionsSupported.of("adobe-1.7", "iso-32000-1_2008"));
        a.add(Types.jpegKOctetsSupported.of(new kotlin.ranges.IntRange(0, (int) (MAX_DOCUMENT / 1024))));
        return a;
    }

    private static MediaCol media(int width, int length) {
        MediaCol col = new MediaCol();
        col.setMediaSize(new MediaCol.MediaSize(width, length));
        col.setMediaTopMargin(423);
        col.setMediaBottomMargin(423);
        col.setMediaLeftMargin(423);
        col.setMediaRightMargin(423);
        col.setMediaSource(new KeywordOrName("auto"));
        col.setMediaType(new KeywordOrName("stationery"));
        return col;
    }

    private static MediaColDatabase database(int width, int length) {
        MediaColDatabase col = new MediaColDatabase();
        col.setMediaSize(new MediaColDatabase.MediaSize(new IntOrIntRange(width), new IntOrIntRange(length)));
        col.setMediaTopMargin(423);
        col.setMediaBottomMargin(423);
        col.setMediaLeftMargin(423);
        col.setMediaRightMargin(423);
        col.setMediaSource(new KeywordOrName("auto"));
        col.setMediaType(new KeywordOrName("stationery"));
        return col;
    }

    private static MediaSizeSupported size(int width, int length) {
        return new MediaSizeSupported(new IntOrIntRange(width), new IntOrIntRange(length));
    }

    private int upTime() {
        return (int) Math.max(1, (System.nanoTime() - upSince) / 1_000_000_000L + 1);
    }

    /** The queue's URI as the client reached it (its Host header), ipps over TLS. */
    private static URI printerUri(Request http) {
        String host = http.getHeaders().get(HttpHeader.HOST);
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            host = Request.getLocalAddr(http) + ":" + Request.getLocalPort(http);
        }
        return URI.create((http.isSecure() ? "ipps" : "ipp") + "://" + host + "/ipp/print");
    }

    private static URI jobUri(Request http, int id) {
        return URI.create(printerUri(http) + "/" + id);
    }

    private static IppPacket.Builder status(IppPacket req, Status status, String message) {
        IppPacket.Builder b = IppPacket.response(status).setRequestId(req.getRequestId())
                .setVersionNumber(req.getVersionNumber() >> 8 == 1 ? 0x0101 : 0x0200);
        if (message != null) {
            b.putOperationAttributes(Types.statusMessage.of(message));
        }
        return b;
    }
}
