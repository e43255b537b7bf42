package kontor.device;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The real printer behind the held print queue: a released job is submitted to it, and its own job
 * state says what was printed (what the visitor pays for). Blocking network calls: never on the site thread.
 */
public interface PrintEngine {

    /** The printer's word on one job: its IPP {@code job-state} keyword and {@code job-impressions-completed}. */
    record JobState(String state, int impressionsCompleted) {
        /** Whether the job will not change any more: {@code completed}, {@code aborted} or {@code canceled}. */
        public boolean terminal() {
            return state.equals("completed") || state.equals("aborted") || state.equals("canceled");
        }
    }

    /**
     * Sends {@code document} (of MIME type {@code format}) as one job and returns the printer's job id.
     *
     * @throws IOException when the printer cannot be reached or refuses the job (nothing was printed)
     */
    int submit(Path document, String format, String jobName, String user) throws IOException;

    /**
     * The printer says the job of that id is not the one we sent (another name): it restarted and numbers its jobs
     * afresh, and has lost ours. Not a silence to wait out: asking again will not bring the job back.
     */
    final class JobGone extends IOException {
        public JobGone(String message) {
            super(message);
        }
    }

    /**
     * The state of a job this engine submitted under {@code jobName}.
     *
     * @throws JobGone when the printer's job of that id has another name
     * @throws IOException when the printer cannot be reached or has no job of that id
     */
    JobState job(int jobId, String jobName) throws IOException;

    /**
     * The printer's id of the job it holds under {@code jobName}, if it has one: how a gateway that stopped between
     * sending a job and learning its id finds it again. Empty when the printer answers without such a job (or with
     * two of that name: which one is ours is unknown).
     *
     * @throws IOException when the printer does not answer (it may be starting) or cannot list its jobs: whether it
     *     has the job is not known, and the caller may ask again
     */
    default java.util.OptionalInt find(String jobName) throws IOException {
        return java.util.OptionalInt.empty();
    }

    /**
     * A simulated printer's engine: it takes every document that is there and has printed all of it by the time
     * it is asked (a completed job is charged for the pages the queue counted, so it reports no impressions).
     */
    static PrintEngine simulated() {
        return new PrintEngine() {
            private final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();
            private final java.util.Map<Integer, String> names = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public int submit(Path document, String format, String jobName, String user) throws IOException {
                if (!java.nio.file.Files.isReadable(document)) {
                    throw new IOException("the spool file " + document + " is gone");
                }
                int id = ids.incrementAndGet();
                names.put(id, jobName);
                return id;
            }

            @Override
            public JobState job(int jobId, String jobName) throws IOException {
                String name = names.get(jobId);
                if (name == null) {
                    throw new IOException("no job " + jobId);
                }
                if (!name.equals(jobName)) {
                    throw new JobGone("job " + jobId + " is '" + name + "', not '" + jobName + "'");
                }
                return new JobState("completed", 0);
            }
        };
    }
}
