package dev.vnet.io.allidb;

import dev.vnet.io.ImageFiles;
import dev.vnet.ops.Point;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The thorough check of a data set before it is used: a scan ({@link AllIdb1Dataset#scan}) reads only headers,
 * this decodes every image in full. A sample fails when its image cannot be decoded, when the decoder warns (a
 * truncated or corrupt JPEG is otherwise decoded with its missing part filled in gray, and would be trained on),
 * or, for ALL-IDB1, when its {@code .xyc} file repeats a point (the scan has already refused more points than an
 * image could hold cells, {@link AllIdb1Dataset#MAX_POINT_DENSITY}). Images are decoded one at a time, so memory stays that of one image.
 */
public final class DatasetCheck {
    private DatasetCheck() {}

    /** Receives the progress of a check, e.g. to draw a progress bar. */
    @FunctionalInterface
    public interface Progress {
        /**
         * Called before each image is decoded, and once more at the end with {@code done == total}.
         *
         * @param done  images checked so far
         * @param total images to check
         * @param next  the image about to be decoded, or null at the end
         */
        void update(int done, int total, Path next);

        /** Reports nothing. */
        Progress NONE = (done, total, next) -> { };
    }

    /**
     * Scans an ALL-IDB1 folder and checks it in full: every image decoded without a warning, every
     * {@code .xyc} without repeated points.
     *
     * @param root      the folder the user gave
     * @param maxPixels the most pixels an image may have ({@link ImageFiles#maxPixels()})
     * @param progress  receives the progress
     * @return the samples that pass every check, and every problem of the scan and of the check
     * @throws IOException if no ALL-IDB1 layout is found under {@code root} or a folder cannot be listed
     */
    public static DatasetScan<AllIdb1Sample> allIdb1(Path root, long maxPixels, Progress progress) throws IOException {
        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(root, maxPixels);
        return decodeAll(scan, AllIdb1Sample::imagePath, DatasetCheck::repeatedPoints, maxPixels, progress);
    }

    /**
     * Scans an ALL-IDB2 folder and decodes every image in full.
     *
     * @param root      the folder the user gave
     * @param maxPixels the most pixels an image may have ({@link ImageFiles#maxPixels()})
     * @param progress  receives the progress
     * @return the samples that pass every check, and every problem of the scan and of the check
     * @throws IOException if no {@code img/} folder is found under {@code root} or a folder cannot be listed
     */
    public static DatasetScan<AllIdb2Sample> allIdb2(Path root, long maxPixels, Progress progress) throws IOException {
        DatasetScan<AllIdb2Sample> scan = AllIdb2Dataset.scan(root, maxPixels);
        return decodeAll(scan, AllIdb2Sample::imagePath, s -> List.of(), maxPixels, progress);
    }

    /**
     * Decodes the image of every sample of {@code scan} in full and applies {@code otherChecks} to it; a sample
     * with any problem leaves the samples, its problems join the scan's.
     *
     * @param scan        the scan to check further
     * @param imageOf     the image file of a sample
     * @param otherChecks the problems of a sample other than its image's decoding (none: an empty list)
     * @param maxPixels   the most pixels an image may have
     * @param progress    receives the progress
     * @param <S>         the sample type
     * @return the samples that pass, and every problem
     */
    public static <S> DatasetScan<S> decodeAll(DatasetScan<S> scan, Function<S, Path> imageOf,
            Function<S, List<DatasetProblem>> otherChecks, long maxPixels, Progress progress) {
        List<S> good = new ArrayList<>();
        List<DatasetProblem> problems = new ArrayList<>(scan.problems());
        int total = scan.samples().size();
        for (int i = 0; i < total; i++) {
            S s = scan.samples().get(i);
            Path image = imageOf.apply(s);
            progress.update(i, total, image);
            List<DatasetProblem> found = new ArrayList<>(otherChecks.apply(s));
            found.addAll(decodeProblems(image, maxPixels));
            if (found.isEmpty()) {
                good.add(s);
            }
            problems.addAll(found);
        }
        progress.update(total, total, null);
        return new DatasetScan<>(scan.root(), good, DatasetLayout.sorted(problems));
    }

    /**
     * Decodes one image in full and reports what went wrong: a failure, or each decoder warning.
     *
     * @param image     the image file
     * @param maxPixels the most pixels it may have
     * @return the problems, empty if the image decoded cleanly
     */
    public static List<DatasetProblem> decodeProblems(Path image, long maxPixels) {
        List<String> warnings = new ArrayList<>();
        try {
            ImageFiles.readBufferedImage(image, warnings::add, maxPixels);
        } catch (IOException e) {
            return List.of(new DatasetProblem(image, -1, AllIdb1Dataset.reason(image, e)));
        }
        List<DatasetProblem> out = new ArrayList<>();
        for (String w : warnings.stream().distinct().toList()) {
            out.add(new DatasetProblem(image, -1, "the decoder warns: " + w
                    + " (a damaged or truncated file: the missing part would be filled in and trained on)"));
        }
        return out;
    }

    /**
     * A sample's repeated blast centres, as one problem (how many repeats, and the first few points with how
     * often each is given).
     *
     * @param s the sample
     * @return the problem, or an empty list if every point is given once
     */
    public static List<DatasetProblem> repeatedPoints(AllIdb1Sample s) {
        List<DatasetProblem> out = new ArrayList<>();
        List<Point> centres = s.centres();
        Map<Point, Integer> times = new HashMap<>();
        for (Point p : centres) {
            times.merge(p, 1, Integer::sum);
        }
        List<Point> repeated = new ArrayList<>();
        for (Point p : centres) {
            if (times.get(p) > 1 && !repeated.contains(p) && repeated.size() < 3) {
                repeated.add(p);
            }
        }
        long duplicates = centres.size() - times.size();
        if (duplicates > 0) {
            StringBuilder b = new StringBuilder().append(duplicates).append(duplicates == 1 ? " point repeats" : " points repeat")
                    .append(" an earlier one (each cell should appear once), e.g. ");
            for (int i = 0; i < repeated.size(); i++) {
                Point p = repeated.get(i);
                b.append(i == 0 ? "" : ", ").append('(').append(p.x()).append(", ").append(p.y()).append(") ")
                        .append(times.get(p)).append(" times");
            }
            out.add(new DatasetProblem(s.coordinatesPath(), -1, b.toString()));
        }
        return out;
    }
}
