package kontor.printing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import kontor.device.PrintEngine;

/**
 * The engine of a simulated printer (no {@code ipp} URI): it takes every readable document and has printed all
 * of its pages by the time it is asked. The document must still be there when it is submitted, as for a real one.
 */
public final class SimulatedPrintEngine implements PrintEngine {
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Integer> pages = new ConcurrentHashMap<>();
    private final PageCounter counter = new PageCounter(100_000);

    @Override
    public int submit(Path document, String format, String jobName, String user) throws IOException {
        if (!Files.isReadable(document)) {
            throw new IOException("the spool file " + document + " is gone");
        }
        int id = ids.incrementAndGet();
        pages.put(id, counter.count(document, format) instanceof PageCounter.Result.Pages p ? p.pages() : 0);
        return id;
    }

    @Override
    public JobState job(int jobId) throws IOException {
        Integer printed = pages.get(jobId);
        if (printed == null) {
            throw new IOException("no job " + jobId);
        }
        return new JobState("completed", printed);
    }
}
