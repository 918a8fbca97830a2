package dev.vnet.io.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.io.synth.SyntheticSmear.Cell;
import dev.vnet.io.synth.SyntheticSmear.CellType;
import dev.vnet.ops.Image8;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmearGeneratorTest {
    private static final SmearConfig SMALL = SmearConfig.defaults().withImageCount(6).withSize(320, 240).withSeed(7);

    @Test
    void sameSeedGivesSameImagesAndOtherSeedsDiffer() {
        SyntheticSmear a = new SmearGenerator(SMALL).render(2);
        SyntheticSmear b = new SmearGenerator(SMALL).render(2);
        assertThat(a.image().sameAs(b.image())).isTrue();
        assertThat(a.cells()).isEqualTo(b.cells());
        SyntheticSmear c = new SmearGenerator(SMALL.withSeed(8)).render(2);
        assertThat(c.image().sameAs(a.image())).isFalse();
    }

    @Test
    void labelsFollowTheFractionAndNamesFollowAllIdb1() {
        SmearGenerator gen = new SmearGenerator(SMALL.withImageCount(10).withAllFraction(0.3));
        int all = 0;
        for (int i = 0; i < 10; i++) {
            String expected = String.format("Im%03d_%d", i + 1, gen.isAll(i) ? 1 : 0);
            assertThat(gen.name(i)).isEqualTo(expected);
            all += gen.isAll(i) ? 1 : 0;
        }
        assertThat(all).isEqualTo(3);
        assertThatThrownBy(() -> gen.render(10)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("10");
    }

    @Test
    void allImagesHaveBlastsInsideTheImageAndHealthyOnesNone() {
        SmearConfig config = SMALL.withImageCount(8).withBlasts(2, 5);
        SmearGenerator gen = new SmearGenerator(config);
        for (int i = 0; i < config.imageCount(); i++) {
            SyntheticSmear s = gen.render(i);
            assertThat(s.all()).isEqualTo(gen.isAll(i));
            assertThat(s.image().width()).isEqualTo(320);
            assertThat(s.image().height()).isEqualTo(240);
            assertThat(s.image().channels()).isEqualTo(3);
            if (s.all()) {
                assertThat(s.blasts()).hasSizeBetween(2, 5);
            } else {
                assertThat(s.blasts()).isEmpty();
                assertThat(s.cells()).as("healthy smears still show normal white cells").isNotEmpty();
            }
            for (Cell c : s.blasts()) {
                assertThat(c.x() - c.radius()).isGreaterThanOrEqualTo(0);
                assertThat(c.y() - c.radius()).isGreaterThanOrEqualTo(0);
                assertThat(c.x() + c.radius()).isLessThan(320);
                assertThat(c.y() + c.radius()).isLessThan(240);
            }
        }
    }

    @Test
    void blastsAreDrawnWhereTheirCentresSay() {
        SmearGenerator gen = new SmearGenerator(SMALL.withAllFraction(1));
        SyntheticSmear s = gen.render(0);
        Image8 img = s.image();
        int background = percentile(img, 1, 0.95);
        for (Cell c : s.blasts()) {
            // The nucleus absorbs green strongly: the centre is far darker in green than the background.
            assertThat(img.get(c.x(), c.y(), 1)).isLessThan(background - 60);
            // and it is purple-blue, not red: blue is above green.
            assertThat(img.get(c.x(), c.y(), 2)).isGreaterThan(img.get(c.x(), c.y(), 1));
        }
    }

    @Test
    void cellSizesScaleWithTheImageWidth() {
        double small = meanRadius(240, CellType.BLAST);
        double large = meanRadius(960, CellType.BLAST);
        assertThat(small / SmearGenerator.nominalBlastRadius(240)).isBetween(0.85, 1.2);
        assertThat(large / small).isBetween(3.5, 4.5);
        assertThat(meanRadius(480, CellType.LYMPHOCYTE)).isLessThan(0.7 * meanRadius(480, CellType.BLAST));
    }

    private static double meanRadius(int width, CellType type) {
        SmearGenerator gen = new SmearGenerator(SmearConfig.defaults().withImageCount(4).withAllFraction(1)
                .withSize(width, width * 3 / 4).withSeed(3));
        List<Double> radii = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (Cell c : gen.render(i).cells()) {
                if (c.type() == type) {
                    radii.add(c.radius());
                }
            }
        }
        assertThat(radii).isNotEmpty();
        return radii.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static int percentile(Image8 img, int channel, double q) {
        int[] hist = new int[256];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                hist[img.get(x, y, channel)]++;
            }
        }
        long target = (long) (q * img.width() * img.height());
        long acc = 0;
        for (int v = 0; v < 256; v++) {
            acc += hist[v];
            if (acc >= target) {
                return v;
            }
        }
        return 255;
    }

    /** The 1712 camera at an eighth of its magnification: 214x171, blasts about 15 px across. */
    private static final SmearConfig CAMERA_SMALL = SmearConfig.realistic(Camera.CAMERA_1712.scaled(0.125))
            .withImageCount(6).withAllFraction(1).withSeed(5);

    @Test
    void aCameraSmearIsTheSameForTheSameSeedAndItsLayoutIsItsCells() {
        SmearGenerator gen = new SmearGenerator(CAMERA_SMALL);
        SyntheticSmear a = gen.render(1);
        assertThat(a.image().width()).isEqualTo(214);
        assertThat(a.image().height()).isEqualTo(171);
        assertThat(new SmearGenerator(CAMERA_SMALL).render(1).image().sameAs(a.image())).isTrue();
        assertThat(gen.layout(1)).isEqualTo(a.cells());
        assertThat(new SmearGenerator(CAMERA_SMALL.withSeed(6)).render(1).image().sameAs(a.image())).isFalse();
    }

    @Test
    void blastSizesAreInPixelsOfTheCameraWhateverTheFrame() {
        for (SmearConfig config : List.of(SmearConfig.realistic(Camera.CAMERA_2592).withAllFraction(1),
                SmearConfig.realistic(Camera.CAMERA_1712).withAllFraction(1),
                SmearConfig.realistic(Camera.CAMERA_1712.withSize(640, 480)).withAllFraction(1))) {
            SmearGenerator gen = new SmearGenerator(config.withImageCount(20));
            double[] radii = java.util.stream.IntStream.range(0, 20).boxed()
                    .flatMap(i -> gen.layout(i).stream()).filter(c -> c.type() == CellType.BLAST)
                    .mapToDouble(Cell::radius).sorted().toArray();
            // Card: blasts about 95-130 px across on both cameras.
            assertThat(radii[radii.length / 2]).as(config.camera().name()).isBetween(55.0, 80.0);
        }
        Camera quarter = Camera.CAMERA_2592.scaled(0.25);
        assertThat(quarter.width()).isEqualTo(648);
        assertThat(quarter.blastRadius()).isEqualTo(15.0);
    }

    @Test
    void labelNoiseLeavesBlastsOutOfTheLabelsButNotOutOfThePicture() {
        SmearConfig noisy = CAMERA_SMALL.withImageCount(40).withUnlabelledShare(0.3);
        SmearGenerator clean = new SmearGenerator(noisy.withUnlabelledShare(0).withImageCount(40));
        SmearGenerator gen = new SmearGenerator(noisy);
        int labelled = 0;
        int unlabelled = 0;
        for (int i = 0; i < 40; i++) {
            List<Cell> cells = gen.layout(i);
            List<Cell> reference = clean.layout(i);
            assertThat(cells).hasSameSizeAs(reference);
            for (int k = 0; k < cells.size(); k++) {
                assertThat(cells.get(k).x()).isEqualTo(reference.get(k).x());
                assertThat(cells.get(k).y()).isEqualTo(reference.get(k).y());
            }
            assertThat(cells.stream().filter(Cell::labelled).count()).as("an ALL image keeps a label").isPositive();
            labelled += (int) cells.stream().filter(Cell::labelled).count();
            unlabelled += (int) cells.stream().filter(c -> c.type() == CellType.BLAST && !c.labelled()).count();
        }
        assertThat(unlabelled / (double) (labelled + unlabelled)).isBetween(0.2, 0.4);
        SyntheticSmear first = gen.render(0);
        assertThat(first.image().sameAs(clean.render(0).image())).isTrue();
        assertThat(first.blasts()).allMatch(Cell::labelled);
        assertThat(first.blastCentres()).hasSize(first.blasts().size());
    }

    @Test
    void healthyAndAllSmearsCarryOtherWhiteCellsThatAreNeverLabelled() {
        SmearGenerator gen = new SmearGenerator(SmearConfig.realistic(Camera.CAMERA_1712).withImageCount(60));
        java.util.Set<CellType> seen = java.util.EnumSet.noneOf(CellType.class);
        for (int i = 0; i < 60; i++) {
            List<Cell> cells = gen.layout(i);
            cells.stream().filter(c -> c.type() != CellType.BLAST).forEach(c -> {
                assertThat(c.labelled()).isFalse();
                seen.add(c.type());
            });
            if (!gen.isAll(i)) {
                assertThat(cells).isNotEmpty().noneMatch(c -> c.type() == CellType.BLAST);
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(CellType.LYMPHOCYTE, CellType.NEUTROPHIL, CellType.MONOCYTE,
                CellType.SMUDGE);
    }

    @Test
    void aCropHoldsOneCentredWhiteCell() {
        SmearGenerator gen = new SmearGenerator(SmearConfig.realistic(Camera.CAMERA_2592.withSize(257, 257)));
        for (boolean blast : new boolean[] {true, false}) {
            SyntheticSmear crop = gen.renderCell(3, blast);
            assertThat(crop.name()).isEqualTo(blast ? "Im004_1" : "Im004_0");
            assertThat(crop.cells()).hasSize(1);
            assertThat(crop.cells().get(0).type() == CellType.BLAST).isEqualTo(blast);
            int background = percentile(crop.image(), 1, 0.95);
            // The nucleus (or a neutrophil's lobes) absorbs green: the darkest green near the centre is far below
            // the background's.
            int darkest = 255;
            for (int y = 98; y < 158; y++) {
                for (int x = 98; x < 158; x++) {
                    darkest = Math.min(darkest, crop.image().get(x, y, 1));
                }
            }
            assertThat(darkest).as(crop.cells().get(0).toString()).isLessThan(background - 60);
        }
        assertThatThrownBy(() -> new SmearGenerator(SMALL).renderCell(0, true)).hasMessageContaining("camera");
    }

    @Test
    void configurationRejectsNonsense() {
        assertThatThrownBy(() -> SmearConfig.defaults().withImageCount(0)).hasMessageContaining("imageCount");
        assertThatThrownBy(() -> SmearConfig.defaults().withSize(10, 480)).hasMessageContaining("10x480");
        assertThatThrownBy(() -> SmearConfig.defaults().withAllFraction(1.5)).hasMessageContaining("1.5");
        assertThatThrownBy(() -> SmearConfig.defaults().withBlasts(3, 2)).hasMessageContaining("3..2");
        assertThatThrownBy(() -> CAMERA_SMALL.withUnlabelledShare(1)).hasMessageContaining("unlabelledShare");
        assertThatThrownBy(() -> Camera.preset("640")).hasMessageContaining("'640'");
    }
}
