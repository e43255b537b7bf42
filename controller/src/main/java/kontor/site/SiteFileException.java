package kontor.site;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A site file that cannot be used. Either it was read and has {@link #problems()} (every one of them, in line
 * order), or it could not be read at all: then {@code problems()} is empty and the message is one sentence.
 */
public final class SiteFileException extends Exception {
    private final List<Problem> problems;

    SiteFileException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** A file that could not be read at all, still in the FILE:LINE: form (line 1, or where the reading stopped). */
    SiteFileException(Problem problem, Throwable cause) {
        super(problem.toString(), cause);
        this.problems = List.of(problem);
    }

    SiteFileException(String sentence, Throwable cause) {
        super(sentence, cause);
        this.problems = List.of();
    }

    public List<Problem> problems() {
        return problems;
    }

    /** What to show a person: one line per problem, or the one sentence. */
    public List<String> lines() {
        return problems.isEmpty() ? List.of(getMessage()) : problems.stream().map(Problem::toString).toList();
    }
}
