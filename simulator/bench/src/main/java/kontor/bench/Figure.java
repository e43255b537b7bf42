package kontor.bench;

import java.util.List;

/** One of the figures of {@code kontor bench}; it starts what it needs and stops it again. */
interface Figure {

    /** Its name for {@code --only}. */
    String name();

    /** One line for the help text. */
    String description();

    List<Result> run(BenchContext context) throws Exception;
}
