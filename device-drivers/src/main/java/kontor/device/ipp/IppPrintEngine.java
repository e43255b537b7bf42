package kontor.device.ipp;

import com.hp.jipp.encoding.AttributeGroup;
import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.encoding.Tag;
import com.hp.jipp.model.Types;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import kontor.device.PrintEngine;

/**
 * A network printer as the print queue's engine: Print-Job to submit, Get-Job-Attributes to learn what
 * it printed, both encoded by jipp like {@link IppPrinter}'s status requests. The document is streamed
 * from the spool file behind the IPP header, never read into memory.
 */
public final class IppPrintEngine implements PrintEngine, AutoCloseable {
    private final URI printerUri;
    private final URI httpUri;
    private final Duration timeout;
    private final HttpClient http;
    private final AtomicInteger requestIds = new AtomicInteger();

    /** @param timeout for the connection, and again for the answer (a large document takes its own time to send) */
    public IppPrintEngine(URI uri, Duration timeout) {
        this.printerUri = IppPrinter.ippUri(uri);
        this.httpUri = IppPrinter.httpUri(uri);
        this.timeout = Objects.requireNonNull(timeout);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public int submit(Path document, String format, String jobName, String user) throws IOException {
        IppPacket request = IppPacket.printJob(printerUri)
                .setRequestId(requestIds.incrementAndGet())
                .putOperationAttributes(Types.requestingUserName.of(user), Types.jobName.of(jobName),
                        Types.documentFormat.of(format))
                .build();
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(encode(request)),
                    HttpRequest.BodyPublishers.ofFile(document));
        } catch (FileNotFoundException e) {
            throw new IOException("the spool file " + document + " is gone", e);
        }
        IppPacket answer = exchange(body);
        AttributeGroup job = answer.get(Tag.jobAttributes);
        Integer id = job == null ? null : job.getValue(Types.jobId);
        if (id == null) {
            throw new IOException("the printer accepted the job but gave no job-id");
        }
        return id;
    }

    @Override
    public JobState job(int jobId, String jobName) throws IOException {
        IppPacket answer = exchange(HttpRequest.BodyPublishers.ofByteArray(encode(
                IppPacket.getJobAttributes(printerUri, jobId, Types.jobState, Types.jobImpressionsCompleted, Types.jobName)
                        .setRequestId(requestIds.incrementAndGet()).build())));
        AttributeGroup job = answer.get(Tag.jobAttributes);
        // A printer that restarted numbers its jobs afresh: the id may now be someone else's job, whose state
        // would settle ours (charged for pages that never printed). A printer that gives no name is taken at its word.
        var name = job == null ? null : job.getValue(Types.jobName);
        if (name != null && !jobName.equals(name.getValue())) {
            throw new PrintEngine.JobGone("the printer's job " + jobId + " is '" + name.getValue() + "', not ours ('" + jobName + "')");
        }
        com.hp.jipp.model.JobState state = job == null ? null : job.getValue(Types.jobState);
        Integer done = job == null ? null : job.getValue(Types.jobImpressionsCompleted);
        if (state == null) {
            throw new IOException("the printer's answer has no job-state for job " + jobId);
        }
        return new PrintEngine.JobState(state.getName(), done == null ? 0 : done);
    }

    @Override
    public java.util.OptionalInt find(String jobName) throws IOException {
        IppPacket answer = exchange(HttpRequest.BodyPublishers.ofByteArray(encode(IppPacket.getJobs(printerUri)
                .setRequestId(requestIds.incrementAndGet())
                .putOperationAttributes(Types.whichJobs.of("all"),
                        Types.requestedAttributes.of(Types.jobId.getName(), Types.jobName.getName()))
                .build())));
        // Two jobs of that name (an older database's, another sender's) is none: settling from the wrong one could
        // charge for pages that never printed; not found, the job is refunded.
        java.util.OptionalInt found = java.util.OptionalInt.empty();
        for (AttributeGroup job : answer.getAttributeGroups()) {
            if (job.getTag().equals(Tag.jobAttributes) && job.getValue(Types.jobName) != null
                    && jobName.equals(job.getValue(Types.jobName).getValue()) && job.getValue(Types.jobId) != null) {
                if (found.isPresent()) {
                    return java.util.OptionalInt.empty();
                }
                found = java.util.OptionalInt.of(job.getValue(Types.jobId));
            }
        }
        return found;
    }

    private IppPacket exchange(HttpRequest.BodyPublisher body) throws IOException {
        HttpRequest post = HttpRequest.newBuilder(httpUri).timeout(timeout)
                .header("Content-Type", "application/ipp").POST(body).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the printer", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + httpUri);
        }
        IppPacket answer;
        try {
            answer = IppPacket.parse(new ByteArrayInputStream(response.body()));
        } catch (RuntimeException e) {
            throw new IOException("the answer is not IPP: " + e.getMessage(), e);
        }
        // Codes below 0x100 are the successful-ok family.
        if (answer.getCode() >= 0x100) {
            throw new IOException("IPP status " + answer.getStatus().getName());
        }
        return answer;
    }

    private static byte[] encode(IppPacket packet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            packet.write(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot encode an IPP request in memory", e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
