package dev.vnet.io.stats;

import static dev.vnet.io.stats.SmearStatistics.percentile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vnet.io.stats.SmearStatistics.ImageStatistics;
import dev.vnet.io.stats.SmearStatistics.Summary;
import dev.vnet.io.synth.Camera;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SmearGenerator;
import dev.vnet.io.synth.SyntheticSmear;
import dev.vnet.io.synth.SyntheticSmear.Cell;
import dev.vnet.io.synth.SyntheticSmear.CellType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Holds the synthetic smears of the {@link Camera#CAMERA_1712} preset to what was measured on ALL-IDB1
 * ({@code allidb1-card.md}), with {@link SmearStatistics}, the card's own procedures. Each tolerance is stated next
 * to the card's value; the counts and distances are measured on the layouts of many images (cheap), the pixel
 * statistics on a few painted ones (the 1712-wide images of ALL-IDB1 are all ALL images).
 */
class CardStatisticsTest {
    private static final SmearConfig CONFIG = SmearConfig.realistic(Camera.CAMERA_1712).withSeed(12);

    @Test
    void blastCountsClustersAndBordersAreAllIdb1s() {
        SmearGenerator gen = new SmearGenerator(CONFIG.withImageCount(400));
        List<ImageStatistics> images = new ArrayList<>();
        List<Double> healthyOthers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            List<Cell> cells = gen.layout(i);
            List<dev.vnet.ops.Point> centres = cells.stream().filter(Cell::labelled)
                    .map(c -> new dev.vnet.ops.Point(c.x(), c.y())).toList();
            int w = CONFIG.width();
            int h = CONFIG.height();
            int near = (int) centres.stream().filter(p -> p.x() < 60 || p.y() < 60 || p.x() >= w - 60 || p.y() >= h - 60)
                    .count();
            images.add(new ImageStatistics(gen.name(i), w, h, gen.isAll(i), centres.size(), near,
                    SmearStatistics.nearestNeighbours(centres), new double[0], new double[0], new double[0],
                    new double[0], null, null, null, 0));
            if (!gen.isAll(i)) {
                healthyOthers.add((double) cells.size());
                assertThat(centres).as("healthy image %s has no labelled blast", gen.name(i)).isEmpty();
            }
        }
        Summary s = SmearStatistics.summarise(images);
        double[] perAll = s.blastsPerAllImage();
        // Card: 1 to 32 blasts per ALL image, median 11.
        assertThat(percentile(perAll, 0)).isGreaterThanOrEqualTo(1);
        assertThat(percentile(perAll, 100)).isLessThanOrEqualTo(32);
        assertThat(percentile(perAll, 50)).isCloseTo(11, within(1.5));
        // Card: nearest blast centre median 139 px, 34% within 120 px, 2nd-5th percentile 88-92 px on this camera.
        assertThat(percentile(s.nearestBlast(), 50)).isCloseTo(139, within(12.0));
        assertThat(s.touchingShare()).isCloseTo(0.34, within(0.06));
        assertThat(percentile(s.nearestBlast(), 2)).isBetween(84.0, 96.0);
        assertThat(percentile(s.nearestBlast(), 5)).isBetween(86.0, 100.0);
        // Card: 3 of 510 blast centres within 60 px of the border.
        assertThat((double) s.blastsNearBorder() / Arrays.stream(perAll).sum()).isLessThan(0.015);
        // Card: 1 / 2 / 4 white cells that are not blasts per healthy image (10th / 50th / 90th percentile).
        double[] others = healthyOthers.stream().mapToDouble(Double::doubleValue).toArray();
        assertThat(percentile(others, 10)).isCloseTo(1, within(0.5));
        assertThat(percentile(others, 50)).isCloseTo(2, within(0.5));
        assertThat(percentile(others, 90)).isCloseTo(4, within(1.0));
    }

    @Test
    void coloursSizesAndFalseAlarmsAreAllIdb1s() {
        SmearGenerator all = new SmearGenerator(CONFIG.withImageCount(3).withAllFraction(1));
        SmearGenerator healthy = new SmearGenerator(CONFIG.withImageCount(2).withAllFraction(0).withSeed(13));
        List<ImageStatistics> allImages = new ArrayList<>();
        List<ImageStatistics> healthyImages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            allImages.add(measure(all.render(i)));
        }
        for (int i = 0; i < 2; i++) {
            healthyImages.add(measure(healthy.render(i)));
        }
        String table = SmearStatistics.table(concat(allImages, healthyImages));
        System.out.println(table);
        // Card, 1712-wide camera (all ALL images): background L 167 ± 6, a 127, b 129; red cells L 132 ± 4, a 135 ± 2,
        // b 128 ± 1; nuclei L 63 ± 6, a 164 ± 2, b 91 ± 2. Tolerance: the mean of three images within about two
        // of the card's image-to-image standard deviations (at least 3 in a and b).
        assertLab(allImages, ImageStatistics::background, 167, 127, 129, 8, 3, 3);
        assertLab(allImages, ImageStatistics::redCells, 132, 135, 128, 8, 4, 3);
        assertLab(allImages, ImageStatistics::nuclei, 63, 164, 91, 10, 5, 5);
        // Card: isolated blasts' purple blobs 99 / 118 / 144 px across (10th / 50th / 90th percentile).
        double[] isolated = SmearStatistics.summarise(allImages).isolatedBlasts();
        assertThat(isolated.length).isGreaterThan(5);
        assertThat(percentile(isolated, 50)).isCloseTo(118, within(14.0));
        // Card: 1 / 2 / 4 purple objects without a labelled blast per healthy image, 1 / 7 / 14 per ALL image, of
        // 8,200 (healthy) and 8,800 (ALL) px² at the median.
        Summary h = SmearStatistics.summarise(healthyImages);
        for (double n : h.unlabelledHealthy()) {
            assertThat(n).isBetween(1.0, 5.0);
        }
        Summary a = SmearStatistics.summarise(allImages);
        assertThat(percentile(a.unlabelledAll(), 50)).isBetween(3.0, 12.0);
        double[] areas = concat(h.unlabelledAreas(), a.unlabelledAreas());
        assertThat(percentile(areas, 50)).isCloseTo(8500, within(2500.0));
    }

    private static ImageStatistics measure(SyntheticSmear s) {
        return SmearStatistics.measure(s.name(), s.image(), s.blastCentres(), s.all());
    }

    private static void assertLab(List<ImageStatistics> images, java.util.function.Function<ImageStatistics, double[]> region,
                                  double l, double a, double b, double tolL, double tolA, double tolB) {
        double[] mean = new double[3];
        for (ImageStatistics s : images) {
            for (int c = 0; c < 3; c++) {
                mean[c] += region.apply(s)[c] / images.size();
            }
        }
        assertThat(mean[0]).as("L").isCloseTo(l, within(tolL));
        assertThat(mean[1]).as("a").isCloseTo(a, within(tolA));
        assertThat(mean[2]).as("b").isCloseTo(b, within(tolB));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
