package dev.vnet.io.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.tensor.Tensor;
import dev.vnet.ops.Image8;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {
    private static Image8 random(int w, int h, int c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Image8 img = new Image8(w, h, c);
        byte[] d = img.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) r.nextInt(256);
        }
        return img;
    }

    @Test
    void channelsFirstHoldsEachByteOver255() {
        Image8 img = random(5, 3, 3, 1);
        Tensor t = ImageTensors.toTensor(img);
        assertThat(t.shape()).containsExactly(1, 3, 3, 5);
        float[] x = t.data();
        for (int y = 0; y < 3; y++) {
            for (int col = 0; col < 5; col++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(x[c * 15 + y * 5 + col]).isEqualTo(img.get(col, y, c) / 255f);
                }
            }
        }
    }

    @Test
    void roundTripGivesTheImagesBackAtEveryBatchIndex() {
        Image8 a = random(7, 4, 3, 2);
        Image8 b = random(7, 4, 3, 3);
        float[] batch = new float[2 * 3 * 4 * 7];
        ImageTensors.toChannelsFirst(a, batch, 0);
        ImageTensors.toChannelsFirst(b, batch, 3 * 4 * 7);
        assertThat(ImageTensors.fromChannelsFirst(batch, 0, 3, 4, 7).sameAs(a)).isTrue();
        assertThat(ImageTensors.fromChannelsFirst(batch, 1, 3, 4, 7).sameAs(b)).isTrue();
        Image8 gray = random(6, 6, 1, 4);
        assertThat(ImageTensors.fromChannelsFirst(ImageTensors.toTensor(gray).data(), 0, 1, 6, 6).sameAs(gray)).isTrue();
    }

    @Test
    void valuesOutsideTheUnitRangeAreClamped() {
        Image8 img = ImageTensors.fromChannelsFirst(new float[] {-0.5f, 1.5f, 0.5f}, 0, 1, 1, 3);
        assertThat(img.get(0, 0, 0)).isZero();
        assertThat(img.get(1, 0, 0)).isEqualTo(255);
        assertThat(img.get(2, 0, 0)).isEqualTo(128);
    }

    @Test
    void aTooSmallDestinationIsRefused() {
        assertThatThrownBy(() -> ImageTensors.toChannelsFirst(random(4, 4, 3, 5), new float[40], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40").hasMessageContaining("48");
    }
}
