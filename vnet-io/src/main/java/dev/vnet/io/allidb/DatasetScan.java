package dev.vnet.io.allidb;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of scanning a data set folder: the samples that are complete and consistent, and every problem
 * found. A bad file costs only its own sample; the caller chooses to stop ({@link #requireClean()}) or to go on
 * with the good samples ({@link #samples()}).
 *
 * @param root     the folder that holds the data (after layout detection, e.g. {@code .../ALL_IDB1})
 * @param samples  the good samples, sorted by id
 * @param problems every problem found, sorted by file
 * @param <S>      the sample type
 */
public record DatasetScan<S>(Path root, List<S> samples, List<DatasetProblem> problems) {
    /**
     * Copies the lists.
     *
     * @param root     the folder that holds the data (after layout detection, e.g. {@code .../ALL_IDB1})
     * @param samples  the good samples, sorted by id
     * @param problems every problem found, sorted by file
     */
    public DatasetScan {
        samples = List.copyOf(samples);
        problems = List.copyOf(problems);
    }

    /** {@return whether no problem was found} */
    public boolean isClean() {
        return problems.isEmpty();
    }

    /**
     * {@return the samples, if no problem was found}
     *
     * @throws DatasetException listing every problem otherwise
     */
    public List<S> requireClean() throws DatasetException {
        if (!problems.isEmpty()) {
            throw new DatasetException(root, problems);
        }
        return samples;
    }
}
