package dev.vnet.io.allidb;

import dev.vnet.io.ImageFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a copy of ALL-IDB2: single-cell crops {@code img/ImXXX_Y.tif} (uncompressed RGB TIFF of about 257×257,
 * some smaller), Y = 1 when the centre cell is a blast, 0 otherwise.
 *
 * <p>The given folder may hold {@code img/} itself or one or two levels further down
 * ({@code ALL_IDB2/img}); {@code .tif} and {@code .tiff} match in any case. Names that do not match, duplicate
 * ids, images whose header cannot be read and images whose header declares more pixels than the limit
 * ({@link ImageFiles#checkPixels}) are reported as {@link DatasetProblem}s while the scan goes on.
 * Each image's size is read from its header.
 */
public final class AllIdb2Dataset {
    private static final Pattern IMAGE_NAME = Pattern.compile("(?i)(Im)(\\d{3})_([01])\\.(tif|tiff)");

    private AllIdb2Dataset() {}

    /**
     * Scans an ALL-IDB2 folder.
     *
     * @param root the folder the user gave
     * @return the good samples sorted by id, and every problem found
     * @throws IOException if no {@code img/} folder is found under {@code root} or a folder cannot be listed
     */
    public static DatasetScan<AllIdb2Sample> scan(Path root) throws IOException {
        return scan(root, ImageFiles.maxPixels());
    }

    /**
     * Scans an ALL-IDB2 folder, reporting every image whose header declares more than {@code maxPixels} pixels.
     *
     * @param root      the folder the user gave
     * @param maxPixels the most pixels (width × height) an image may have
     * @return the good samples sorted by id, and every problem found
     * @throws IOException if no {@code img/} folder is found under {@code root} or a folder cannot be listed
     */
    public static DatasetScan<AllIdb2Sample> scan(Path root, long maxPixels) throws IOException {
        Path base = DatasetLayout.find(root, "img", "ALL_IDB2");
        Path imgDir = DatasetLayout.child(base, "img").orElseThrow();
        List<DatasetProblem> problems = new ArrayList<>();
        Map<String, Path> images = AllIdb1Dataset.collect(imgDir, IMAGE_NAME, "image",
                "ImXXX_Y.tif (XXX three digits, Y 0 or 1)", problems);
        List<AllIdb2Sample> samples = new ArrayList<>();
        for (Map.Entry<String, Path> e : images.entrySet()) {
            Path image = e.getValue();
            AllIdb1Dataset.imageSize(image, maxPixels, problems).ifPresent(size -> samples.add(new AllIdb2Sample(
                    AllIdb1Dataset.stem(image), image, e.getKey().endsWith("_1"), size.width(), size.height())));
        }
        samples.sort(Comparator.comparing(AllIdb2Sample::id));
        return new DatasetScan<>(base, samples, DatasetLayout.sorted(problems));
    }
}
