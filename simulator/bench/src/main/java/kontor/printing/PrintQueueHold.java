package kontor.printing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bench's way to the print queue's hold ({@code kontor bench}'s power cuts): the very method the IPP handler
 * calls once a document has arrived and been counted, without the HTTP upload and the PIN's Argon2 check in front
 * of it, which would make a hold take a tenth of a second. In this package because {@link PrintQueue#hold} is not
 * public: only the IPP handler and this bench hold jobs.
 */
public final class PrintQueueHold {
    private PrintQueueHold() { }

    /** Holds {@code document} (a PDF of {@code pages} mono pages) for {@code member}; returns the job's id. */
    public static int hold(PrintQueue queue, String member, Path document, int pages) throws IOException {
        return queue.hold(member, document, "power cut", "application/pdf", false, pages, Files.size(document));
    }
}
