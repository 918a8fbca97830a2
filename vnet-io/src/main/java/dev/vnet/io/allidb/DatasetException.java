package dev.vnet.io.allidb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Thrown by {@link DatasetScan#requireClean()}: lists every problem found in a data set folder. */
public final class DatasetException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient List<DatasetProblem> problems;

    /**
     * @param root     the data set folder; {@code problems} must not be empty
     * @param problems every problem, not empty
     */
    public DatasetException(Path root, List<DatasetProblem> problems) {
        super(message(root, problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(Path root, List<DatasetProblem> problems) {
        StringBuilder b = new StringBuilder().append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                .append(" in data set ").append(root).append(':');
        for (DatasetProblem p : problems) {
            b.append("\n  ").append(p);
        }
        return b.toString();
    }

    /** {@return every problem, in the order found} */
    public List<DatasetProblem> problems() {
        return problems;
    }
}
