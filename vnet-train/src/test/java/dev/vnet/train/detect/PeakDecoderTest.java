package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeakDecoderTest {
    private static final double D = 28;
    private static final PeakDecoder DECODER = PeakDecoder.forDiameter(D, 0.3f);

    private static List<DetectedCell> byX(List<DetectedCell> cells) {
        List<DetectedCell> out = new ArrayList<>(cells);
        out.sort(Comparator.comparingDouble(DetectedCell::x));
        return out;
    }

    @Test
    void twoBlastsAreTwoCellsAtEverySpacingFromOverlappingToFarApart() {
        // From 0.6 diameters (two nuclei pressed into each other) to 3 diameters, in steps of one pixel, for targets
        // as sharp as the training target and as blurred as a network's output may be.
        for (double sigma : new double[] {HeatMapTarget.sigmaFor(D), D / 5}) {
            for (int spacing = (int) Math.ceil(0.6 * D); spacing <= 3 * D; spacing++) {
                double x1 = 40.3;
                double x2 = x1 + spacing;
                float[] map = HeatMapTarget.render(160, 80, List.of(new double[] {x1, 37.6}, new double[] {x2, 37.6}), sigma);
                List<DetectedCell> cells = byX(DECODER.peaks(map, 0, 160, 80));
                assertThat(cells).as("spacing %d, sigma %.1f", spacing, sigma).hasSize(2);
                assertThat(cells.get(0).x()).as("spacing %d", spacing).isCloseTo(x1, within(0.5));
                assertThat(cells.get(1).x()).as("spacing %d", spacing).isCloseTo(x2, within(0.5));
                assertThat(cells.get(0).y()).isCloseTo(37.6, within(0.5));
                assertThat(cells.get(0).score()).isGreaterThan(0.9f);
            }
        }
    }

    @Test
    void peaksCloserThanTheSpacingAreOneCell() {
        // Two maxima 10 px apart (less than 0.55 × 28 = 15.4): the lower one is the ripple of the higher.
        float[] map = new float[100 * 60];
        HeatMapTarget.render(map, 0, 100, 60, List.of(new double[] {40, 30}), 2);
        float[] low = HeatMapTarget.render(100, 60, List.of(new double[] {50, 30}), 2);
        for (int i = 0; i < map.length; i++) {
            map[i] = Math.max(map[i], 0.8f * low[i]);
        }
        List<DetectedCell> cells = DECODER.peaks(map, 0, 100, 60);
        assertThat(cells).hasSize(1);
        assertThat(cells.get(0).x()).isCloseTo(40, within(0.5));
        assertThat(DECODER.withThreshold(0.3f).withSpacing(5).peaks(map, 0, 100, 60)).hasSize(2);
    }

    @Test
    void aPlateauIsOneCellAtItsCentre() {
        float[] map = new float[50 * 40];
        for (int y = 10; y <= 14; y++) {
            for (int x = 20; x <= 27; x++) {
                map[y * 50 + x] = 1f;
            }
        }
        // A shoulder plateau next to a higher pixel is not a maximum.
        for (int x = 2; x <= 6; x++) {
            map[30 * 50 + x] = 0.6f;
        }
        map[30 * 50 + 7] = 0.7f;
        List<DetectedCell> cells = DECODER.peaks(map, 0, 50, 40);
        assertThat(cells).hasSize(2);
        assertThat(cells.get(0).x()).isCloseTo(23.5, within(1e-9));
        assertThat(cells.get(0).y()).isCloseTo(12, within(1e-9));
        assertThat(cells.get(0).score()).isEqualTo(1f);
        assertThat(cells.get(0).area()).isEqualTo(40);
        assertThat(cells.get(1).x()).isCloseTo(7, within(0.5));
        assertThat(cells.get(1).score()).isEqualTo(0.7f);
    }

    @Test
    void cellsOnTheBordersAndCornersAreFound() {
        List<double[]> centres = List.of(new double[] {0, 0}, new double[] {99, 30}, new double[] {50, 59},
                new double[] {0, 59});
        float[] map = HeatMapTarget.render(100, 60, centres, 3.5);
        List<DetectedCell> cells = DECODER.peaks(map, 0, 100, 60);
        assertThat(cells).hasSize(4);
        for (double[] c : centres) {
            assertThat(cells).anySatisfy(d -> {
                assertThat(d.x()).isCloseTo(c[0], within(1e-9));
                assertThat(d.y()).isCloseTo(c[1], within(1e-9));
            });
        }
    }

    @Test
    void emptyAndFlatMapsHaveNoCells() {
        assertThat(DECODER.peaks(new float[64 * 48], 0, 64, 48)).isEmpty();
        float[] low = new float[64 * 48];
        java.util.Arrays.fill(low, 0.2f);
        assertThat(DECODER.peaks(low, 0, 64, 48)).isEmpty();
        float[] one = new float[1];
        one[0] = 0.9f;
        assertThat(DECODER.peaks(one, 0, 1, 1)).singleElement().satisfies(c -> assertThat(c.score()).isEqualTo(0.9f));
    }

    @Test
    void aHigherThresholdKeepsExactlyTheCellsScoringAboveIt() {
        // Many peaks of random heights, some close: decoding at t equals decoding low and keeping scores >= t.
        java.util.Random r = new java.util.Random(5);
        List<double[]> centres = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            centres.add(new double[] {r.nextDouble() * 200, r.nextDouble() * 150});
        }
        float[] map = new float[200 * 150];
        for (double[] c : centres) {
            float[] one = HeatMapTarget.render(200, 150, List.<double[]>of(c), 3 + 3 * r.nextDouble());
            float h = 0.1f + 0.9f * r.nextFloat();
            for (int i = 0; i < map.length; i++) {
                map[i] = Math.max(map[i], h * one[i]);
            }
        }
        List<DetectedCell> low = DECODER.withThreshold(0.05f).peaks(map, 0, 200, 150);
        for (float t : new float[] {0.1f, 0.3f, 0.5f, 0.77f}) {
            List<DetectedCell> high = DECODER.withThreshold(t).peaks(map, 0, 200, 150);
            List<DetectedCell> filtered = low.stream().filter(c -> c.score() >= t).toList();
            assertThat(high).as("threshold %s", t).hasSameSizeAs(filtered);
            for (int i = 0; i < high.size(); i++) {
                assertThat(high.get(i).x()).isEqualTo(filtered.get(i).x());
                assertThat(high.get(i).y()).isEqualTo(filtered.get(i).y());
            }
        }
    }

    @Test
    void decodeMapsCentresAndAreasBackToOriginalPixels() {
        // A 2592×1944 photograph at 1/4 is 648×486; a peak at working (100, 50) is original (401.5, 201.5).
        float[] map = HeatMapTarget.render(648, 486, List.of(new double[] {100, 50}), 3.5);
        List<DetectedCell> cells = DECODER.decode(map, 648, 486, 2592, 1944);
        assertThat(cells).singleElement().satisfies(c -> {
            assertThat(c.x()).isCloseTo(401.5, within(1e-6));
            assertThat(c.y()).isCloseTo(201.5, within(1e-6));
        });
        double workingArea = DECODER.peaks(map, 0, 648, 486).get(0).area();
        assertThat(workingArea).isGreaterThan(20);
        assertThat(cells.get(0).area()).isCloseTo(16 * workingArea, within(1e-9));
    }
}
