package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vnet.io.data.Sample;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class PurpleBlobsTest {

    @Test
    void findsPurpleBlobsAndSplitsOffTheUnlabelledOnes() {
        Image8 img = PatchSamplerTest.smear(200, 120, new double[] {40, 40}, new double[] {150, 80});
        // A pink red cell and a tiny purple speck are not blobs.
        img.set(100, 10, 0, 110);
        img.set(100, 10, 1, 50);
        img.set(100, 10, 2, 150);
        List<double[]> blobs = PurpleBlobs.centres(img, 100);
        assertThat(blobs).hasSize(2);
        assertThat(blobs.get(0)[0]).isCloseTo(40, within(0.01));
        assertThat(blobs.get(1)[1]).isCloseTo(80, within(0.01));
        List<double[]> unlabelled = PurpleBlobs.unlabelled(blobs, List.<double[]>of(new double[] {42, 38}), 10);
        assertThat(unlabelled).singleElement().satisfies(b -> assertThat(b[0]).isCloseTo(150, within(0.01)));
    }

    @Test
    void aScaledSampleCarriesItsBlastsAndHardNegativesAtTheWorkingScale() throws Exception {
        // 800×480 at 1/4 (blasts of 112 px): the discs of diameter 28 drawn at the working scale, scaled up.
        Image8 small = PatchSamplerTest.smear(200, 120, new double[] {40, 40}, new double[] {150, 80});
        Image8 original = dev.vnet.ops.Resize.apply(small, 800, 480, dev.vnet.ops.Resize.Interpolation.NEAREST);
        Sample s = Sample.ofImage("Im001_1", original, List.of(new Point(162, 162)), true);
        ScaledImage scaled = ScaledImage.of(s, WorkingScale.allIdb1());
        assertThat(scaled.image().width()).isEqualTo(200);
        assertThat(scaled.blasts()).singleElement().satisfies(b -> {
            assertThat(b[0]).isCloseTo(40.125, within(1e-9));
            assertThat(b[1]).isCloseTo(40.125, within(1e-9));
        });
        assertThat(scaled.negatives()).singleElement().satisfies(b -> assertThat(b[0]).isCloseTo(150, within(0.3)));
    }
}
